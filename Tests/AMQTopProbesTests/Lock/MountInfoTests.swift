import AMQTopCore
import Testing

@testable import AMQTopProbes

/// The mountinfo and /proc/locks parsers, on lines shaped like real ones.
@Suite struct MountInfoTests {
    static let text = """
        22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
        25 22 0:22 / /dev/shm rw,nosuid,nodev shared:3 - tmpfs tmpfs rw,size=8119876k,inode64
        61 22 0:52 / /mnt/san3 rw,relatime shared:40 - nfs 10.0.0.5:/export/amq rw,vers=3,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,mountaddr=10.0.0.5,mountvers=3,mountport=20048,mountproto=udp,local_lock=none,addr=10.0.0.5
        62 22 0:53 / /mnt/san4 rw,relatime shared:41 - nfs4 10.0.0.6:/amq rw,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=10.0.0.9,local_lock=none,addr=10.0.0.6
        63 22 8:33 / /srv/ocfs rw,relatime shared:42 - ocfs2 /dev/sdc1 rw,_netdev,heartbeat=local,nointr,data=ordered,errors=remount-ro,atime_quantum=60,coherency=full,user_xattr,acl
        64 22 0:54 / /mnt/san rw,relatime shared:43 - tmpfs tmpfs rw,size=1024k
        65 64 0:55 / /mnt/san/orders rw,relatime shared:44 - nfs4 10.0.0.6:/orders rw,vers=4.1,addr=10.0.0.6
        66 22 0:56 / /mnt/with\\040space rw,relatime - ext4 /dev/sdd1 rw
        broken line
        """

    let mounts = MountInfo.parse(text)

    @Test func parsesEveryWellFormedLine() {
        #expect(mounts.count == 8)
        #expect(mounts[0] == MountInfo(mountPoint: "/", type: "ext4", source: "/dev/nvme0n1p2", mountOptions: "rw,relatime",
                                       superOptions: "rw,errors=remount-ro", major: 259, minor: 2))
        #expect(mounts[7].mountPoint == "/mnt/with space")
    }

    @Test(arguments: [
        ("/var/lib/activemq/kahadb/lock", "ext4", nil as String?, FilesystemKind.local, "/"),
        ("/dev/shm/lock", "tmpfs", nil, .local, "/dev/shm"),
        ("/mnt/san3/kahadb/lock", "nfs", "3", .nfs3, "/mnt/san3"),
        ("/mnt/san4/kahadb/lock", "nfs4", "4.2", .nfs4, "/mnt/san4"),
        ("/srv/ocfs/kahadb/lock", "ocfs2", nil, .ocfs2, "/srv/ocfs"),
        ("/mnt/san/orders/kahadb/lock", "nfs4", "4.1", .nfs4, "/mnt/san/orders"),
        ("/mnt/san/other/lock", "tmpfs", nil, .local, "/mnt/san"),
        ("/mnt/san30/lock", "ext4", nil, .local, "/"),
        ("/mnt/with space/lock", "ext4", nil, .local, "/mnt/with space"),
    ])
    func findsTheLongestMountPrefix(path: String, type: String, version: String?, kind: FilesystemKind, mountPoint: String) throws {
        let mount = try #require(MountInfo.mount(containing: path, in: mounts))
        let info = mount.filesystemInfo
        #expect(info.type == type)
        #expect(info.nfsVersion == version)
        #expect(info.kind == kind)
        #expect(info.mountPoint == mountPoint)
    }

    @Test func laterMountOverTheSamePointWins() throws {
        let stacked = MountInfo.parse("""
            30 22 0:60 / /data rw - ext4 /dev/sde1 rw
            31 30 0:61 / /data rw - nfs 10.0.0.7:/d rw,vers=3
            """)
        #expect(try #require(MountInfo.mount(containing: "/data/lock", in: stacked)).type == "nfs")
    }

    @Test func nfs4WithoutVersOptionIsVersion4() throws {
        let mount = try #require(MountInfo.parseLine("70 22 0:70 / /n rw - nfs4 h:/x rw,addr=1.2.3.4"))
        #expect(mount.filesystemInfo.kind == .nfs4)
        #expect(mount.nfsVersion == "4")
    }

    @Test func ownMountinfoParses() throws {
        let text = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        let parsed = MountInfo.parse(text)
        #expect(parsed.count == text.split(separator: "\n").count)
        #expect(MountInfo.mount(containing: "/", in: parsed) != nil)
    }

    @Test func procLocksLines() {
        let locks = ProcLock.parse("""
            1: POSIX  ADVISORY  WRITE 24080 fe:00:16220364 0 EOF
            1: -> POSIX  ADVISORY  WRITE 24099 fe:00:16220364 0 EOF
            2: FLOCK  ADVISORY  WRITE 1200 00:19:2345 0 EOF
            3: OFDLCK ADVISORY  READ  -1 103:02:77 0 7
            garbage
            """)
        #expect(locks == [
            ProcLock(kind: "POSIX", access: "WRITE", pid: 24080, major: 0xfe, minor: 0, inode: 16_220_364),
            ProcLock(kind: "FLOCK", access: "WRITE", pid: 1200, major: 0, minor: 0x19, inode: 2345),
            ProcLock(kind: "OFDLCK", access: "READ", pid: -1, major: 0x103, minor: 2, inode: 77),
        ])
    }
}
