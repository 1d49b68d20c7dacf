import AMQTopCore
import Testing
@testable import AMQTopScreen

/// The keep-alive panel shows the NFS lease only where locks are leased: on NFS mounts.
struct KeepAlivePanelTests {
    @Test(arguments: [
        (FilesystemInfo(type: "nfs4", nfsVersion: "4.2"), true), (FilesystemInfo(type: "nfs", nfsVersion: "4.1"), true),
        (FilesystemInfo(type: "nfs", nfsVersion: "3"), true), (FilesystemInfo(type: "nfs"), true),
        (FilesystemInfo(type: "ext4"), false), (FilesystemInfo(type: "xfs"), false), (FilesystemInfo(type: "tmpfs"), false),
        (FilesystemInfo(type: "ocfs2"), false), (FilesystemInfo(type: ""), false),
    ] as [(FilesystemInfo, Bool)])
    func theLeaseIsShownOnlyOnNFS(_ filesystem: FilesystemInfo, _ shown: Bool) {
        let panel = KeepAlivePanelView(context: ViewContext(), group: GroupConfig(name: "g", lockFile: "/l", brokers: []), filesystem: filesystem, focused: false)
        #expect(panel.lines.map(\.0).contains("NFS lease") == shown, "\(filesystem.type) \(filesystem.nfsVersion ?? "")")
    }

    @Test func noLeaseBeforeTheFilesystemIsKnown() {
        let panel = KeepAlivePanelView(context: ViewContext(), group: GroupConfig(name: "g", lockFile: "/l", brokers: []), focused: false)
        #expect(!panel.lines.map(\.0).contains("NFS lease"))
        #expect(panel.lines.map(\.0).contains("worst-case failover"))
    }
}
