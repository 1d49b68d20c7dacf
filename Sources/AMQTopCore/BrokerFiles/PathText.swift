/// Path arithmetic on text alone: broker files name paths that need not exist on this host.
public enum PathText {
    /// `a/b/../c/./d` → `a/c/d`; keeps a leading `/`; never climbs above the root.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." { parts.removeLast() } else if !absolute { parts.append(part) }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// `base/relative` normalized, or `relative` itself when it is absolute.
    public static func join(_ base: String, _ relative: String) -> String {
        relative.hasPrefix("/") ? normalize(relative) : normalize(base + "/" + relative)
    }

    /// The directory holding `path` (`/` for a top-level entry).
    public static func parent(of path: String) -> String {
        let normalized = normalize(path)
        guard let slash = normalized.lastIndex(of: "/") else { return "." }
        let parent = String(normalized[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// The last component of `path`.
    public static func lastComponent(_ path: String) -> String {
        normalize(path).split(separator: "/").last.map(String.init) ?? "/"
    }
}
