import Foundation

#if canImport(Glibc)
import Glibc
#endif

// The answer's parse on its own: `JolokiaResponseParser.observation(fromBulkRead:)` over a
// real master's and slave's bulk-read answer (written by answers.py from fakefleet.py).
// Built by run.sh as one optimised module with the AMQTopCore and Jolokia parser sources,
// like the fuzz binary, so no SwiftPM target has to exist for it.
//
//   parse-cost time DIR [PARSES]      CPU ns per parse, median of 9 batches, master and slave
//   parse-cost count DIR ROLE PARSES  PARSES parses of ROLE (master or slave), for callgrind

/// The parse under test, with what it returns folded into a checksum so nothing is optimised away.
@inline(never)
func parse(_ body: Data) -> Int64 {
    let observation = JolokiaResponseParser.observation(fromBulkRead: body, atMillis: 1, latencyMillis: 2, mbeanBrokerName: "b")
    var sum = Int64(observation.attributeErrors.count) &+ (observation.uptimeMillis ?? 0) &+ (observation.slave == true ? 1 : 0)
    sum &+= Int64(observation.brokerName?.utf8.count ?? 0) &+ Int64(observation.transportConnectors?.count ?? 0)
    return observation.error == nil ? sum : -1
}

func threadCPUNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func load(_ dir: String, _ role: String) -> Data {
    guard let body = FileManager.default.contents(atPath: dir + "/" + role + ".json") else {
        FileHandle.standardError.write(Data("parse-cost: cannot read \(dir)/\(role).json\n".utf8))
        exit(2)
    }
    return body
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: parse-cost time DIR [PARSES] | count DIR ROLE PARSES\n".utf8))
    exit(2)
}
switch arguments[1] {
case "time":
    let parses = arguments.count > 3 ? Int(arguments[3]) ?? 20_000 : 20_000
    for role in ["master", "slave"] {
        let body = load(arguments[2], role)
        var check: Int64 = 0
        for _ in 0..<(parses / 10) { check &+= parse(body) }
        var batches: [Double] = []
        for _ in 0..<9 {
            let start = threadCPUNanos()
            for _ in 0..<parses { check &+= parse(body) }
            batches.append(Double(threadCPUNanos() - start) / Double(parses))
        }
        batches.sort()
        print(String(format: "%@: %d bytes, %.0f ns per parse (median of 9 batches of %d; %.0f-%.0f) check %lld",
                     role, body.count, batches[4], parses, batches[0], batches[8], check))
    }
case "count" where arguments.count == 5:
    let body = load(arguments[2], arguments[3])
    let parses = Int(arguments[4]) ?? 0
    var check: Int64 = 0
    for _ in 0..<parses { check &+= parse(body) }
    print("\(arguments[3]): \(parses) parses, check \(check)")
default:
    FileHandle.standardError.write(Data("usage: parse-cost time DIR [PARSES] | count DIR ROLE PARSES\n".utf8))
    exit(2)
}
