/// Names for `statfs` f_type magic numbers: the fallback when mountinfo cannot be read.
enum FilesystemMagic {
    /// The mountinfo-style type name for a magic number, or nil when unknown.
    static func name(for magic: Int64) -> String? {
        switch UInt32(truncatingIfNeeded: magic) {
        case 0xEF53: "ext4"
        case 0x6969: "nfs"
        case 0x0102_1994: "tmpfs"
        case 0x7461_636F: "ocfs2"
        case 0x5846_5342: "xfs"
        case 0x9123_683E: "btrfs"
        case 0x794C_7630: "overlay"
        case 0xFF53_4D42: "cifs"
        case 0xFE53_4D42: "smb3"
        case 0x0116_1970: "gfs2"
        case 0x6573_5546: "fuse"
        case 0x00C3_6400: "ceph"
        case 0x0BD0_0BD0: "lustre"
        case 0x4750_4653: "gpfs"
        case 0x2FC1_2FC1: "zfs"
        default: nil
        }
    }
}
