/// What a cell looks like, semantically: a role and extra attributes.
public struct CellStyle: Equatable, Hashable, Sendable {
    public var role: StyleRole
    public var attributes: CellAttributes

    public init(_ role: StyleRole = .normal, _ attributes: CellAttributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let normal = CellStyle()
}
