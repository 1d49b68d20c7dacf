import Yams

/// Turns a theme's YAML text into a `Theme`, filling missing roles from a base theme.
///
/// Pure: no files are read here. Unknown roles, unknown keys, bad colours and bad
/// attributes are errors naming the line and column, so a typo never silently becomes "no
/// colour". No error ever quotes the file's text: `--theme /etc/shadow` must not print a
/// line of it, so a message says where and what was expected, never what was found.
public enum ThemeParser {
    /// Parses `text` (from `file`, for messages); roles it leaves out come from `base`.
    public static func parse(_ text: String, name: String, file: String, base: Theme?) throws -> Theme {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ThemeError(file: file, line: line(of: error), message: "not valid YAML: \(problem(of: error))")
        }
        guard let root else { throw ThemeError(file: file, line: 1, message: "the theme is empty") }
        guard let top = root.mapping else { throw ThemeError(file: file, line: root.mark?.line, message: "a theme is a mapping with palette: and roles:") }
        var palette: [String: ThemeColor] = [:]
        var styles = base?.styles ?? [:]
        for (keyNode, valueNode) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "name", "description":
                continue
            case "palette":
                palette = try parsePalette(valueNode, file: file)
            case "roles":
                guard let roles = valueNode.mapping else {
                    throw ThemeError(file: file, line: valueNode.mark?.line, message: "roles: must be a mapping of role names")
                }
                for (roleNode, styleNode) in roles {
                    let roleName = roleNode.string ?? ""
                    guard let role = StyleRole(rawValue: roleName) else {
                        let known = StyleRole.allCases.map(\.rawValue).joined(separator: ", ")
                        throw ThemeError(file: file, line: roleNode.mark?.line, message: "\(at(roleNode))unknown role (known: \(known))")
                    }
                    styles[role] = try parseStyle(styleNode, role: roleName, palette: palette, file: file)
                }
            default:
                throw ThemeError(file: file, line: keyNode.mark?.line, message: "\(at(keyNode))unknown key (expected palette: and roles:)")
            }
        }
        for role in StyleRole.allCases where styles[role] == nil { styles[role] = RoleStyle() }
        return Theme(name: name, source: file, styles: styles)
    }

    private static func parsePalette(_ node: Node, file: String) throws -> [String: ThemeColor] {
        guard let mapping = node.mapping else { throw ThemeError(file: file, line: node.mark?.line, message: "palette: must be a mapping of name: colour") }
        var palette: [String: ThemeColor] = [:]
        for (nameNode, colourNode) in mapping {
            let text = colourNode.string ?? ""
            guard let colour = ThemeColor(parsing: text) else {
                throw ThemeError(file: file, line: colourNode.mark?.line, message: "\(at(colourNode))bad colour in the palette (use a curses name, 0-255 or #rrggbb)")
            }
            palette[nameNode.string ?? ""] = colour
        }
        return palette
    }

    private static func parseStyle(_ node: Node, role: String, palette: [String: ThemeColor], file: String) throws -> RoleStyle {
        guard let mapping = node.mapping else { throw ThemeError(file: file, line: node.mark?.line, message: "role \(role) must be a mapping with fg, bg, attributes") }
        var style = RoleStyle()
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            switch key {
            case "fg", "foreground":
                style.foreground = try colour(valueNode, role: role, palette: palette, file: file)
            case "bg", "background":
                style.background = try colour(valueNode, role: role, palette: palette, file: file)
            case "attributes", "attrs":
                style.attributes = try attributes(valueNode, role: role, file: file)
            default:
                throw ThemeError(file: file, line: keyNode.mark?.line, message: "\(at(keyNode))unknown key in role \(role) (expected fg, bg, attributes)")
            }
        }
        return style
    }

    private static func colour(_ node: Node, role: String, palette: [String: ThemeColor], file: String) throws -> ThemeColor {
        let text = node.string ?? ""
        if let named = palette[text] { return named }
        guard let colour = ThemeColor(parsing: text) else {
            throw ThemeError(file: file, line: node.mark?.line, message: "\(at(node))bad colour in role \(role) (not in the palette, not a curses name, 0-255 or #rrggbb)")
        }
        return colour
    }

    private static func attributes(_ node: Node, role: String, file: String) throws -> CellAttributes {
        let names: [Node]
        if let sequence = node.sequence {
            names = Array(sequence)
        } else {
            names = [node]
        }
        var result: CellAttributes = []
        for nameNode in names {
            switch nameNode.string ?? "" {
            case "bold": result.insert(.bold)
            case "reverse": result.insert(.reverse)
            case "underline": result.insert(.underline)
            case "dim": result.insert(.dim)
            case "", "none": break
            default:
                throw ThemeError(file: file, line: nameNode.mark?.line, message: "\(at(nameNode))unknown attribute in role \(role) (bold, reverse, underline, dim)")
            }
        }
        return result
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        // Other errors (reader, emitter, ...) may quote the input: say what kind, not what.
        default: "unreadable YAML"
        }
    }

    /// "column N: " for a node, so a message points at the text without quoting it.
    private static func at(_ node: Node) -> String {
        node.mark.map { "column \($0.column): " } ?? ""
    }
}
