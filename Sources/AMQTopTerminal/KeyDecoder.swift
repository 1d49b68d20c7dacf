import AMQTopCore
import CNCursesW

/// Turns what `wget_wch` returned into a dashboard key, or a resize.
public enum KeyDecoder {
    /// What one `wget_wch` call meant.
    public enum Decoded: Equatable, Sendable {
        case key(Key)
        case resize
        case ignored
    }

    /// Decodes a function key (`isFunctionKey`, from KEY_CODE_YES) or a wide character.
    public static func decode(code: UInt32, isFunctionKey: Bool) -> Decoded {
        if isFunctionKey {
            switch Int32(bitPattern: code) {
            case amqtop_key_resize(): return .resize
            case amqtop_key_up(): return .key(.up)
            case amqtop_key_down(): return .key(.down)
            case amqtop_key_left(): return .key(.left)
            case amqtop_key_right(): return .key(.right)
            case amqtop_key_ppage(): return .key(.pageUp)
            case amqtop_key_npage(): return .key(.pageDown)
            case amqtop_key_home(): return .key(.home)
            case amqtop_key_end(): return .key(.end)
            case amqtop_key_enter(): return .key(.enter)
            case amqtop_key_backspace(): return .key(.backspace)
            case amqtop_key_btab(): return .key(.backTab)
            case amqtop_key_mouse(): return wheel(amqtop_mouse_wheel())
            default: return .ignored
            }
        }
        switch code {
        case 27: return .key(.escape)
        case 10, 13: return .key(.enter)
        case 9: return .key(.tab)
        case 8, 127: return .key(.backspace)
        case 12: return .key(.redraw)
        case 0..<32: return .ignored
        default:
            guard let scalar = Unicode.Scalar(code) else { return .ignored }
            return .key(.character(Character(scalar)))
        }
    }

    /// The wheel as `amqtop_mouse_wheel` reports it (1 up, 2 down); any other mouse event is ignored.
    public static func wheel(_ button: Int32) -> Decoded {
        switch button {
        case 1: .key(.wheelUp)
        case 2: .key(.wheelDown)
        default: .ignored
        }
    }
}
