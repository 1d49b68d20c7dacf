/// Built-in copies of the default and monochrome themes, so the binary works with no `Themes/` folder.
///
/// Kept identical to `Themes/default.yaml` and `Themes/monochrome.yaml` (a test checks).
public enum EmbeddedThemes {
    /// `Themes/default.yaml`.
    public static let defaultTheme = #"""
# amqtop default theme: for dark terminal backgrounds.
#
# palette: names for colours, used by the roles below. A colour is a curses name
# (black red green yellow blue magenta cyan white, bright-red ..., default),
# a number 0-255, or "#rrggbb" (matched to the nearest colour the terminal has).
# roles: each semantic role's fg, bg and attributes (bold, reverse, underline, dim).
# A role left out falls back to this default theme.
palette:
  green: "#5fd75f"
  blue: "#5fafff"
  red: "#ff5f5f"
  amber: "#ffaf00"
  grey: "#8a8a8a"
  magenta: "#d787ff"
  bar: "#303030"
  select: "#005f87"
  panel: "#262626"

roles:
  normal:    { fg: default, bg: default }
  master:    { fg: green, attributes: [bold] }
  slave:     { fg: blue }
  down:      { fg: red }
  unknown:   { fg: magenta }
  ok:        { fg: green }
  warning:   { fg: amber }
  critical:  { fg: red, attributes: [bold] }
  header:    { fg: white, bg: bar }
  border:    { fg: grey }
  selection: { fg: white, bg: select }
  dim:       { fg: grey }
  dialog:    { fg: white, bg: panel }

"""#

    /// `Themes/monochrome.yaml`.
    public static let monochrome = #"""
# amqtop monochrome theme: no colours at all, only bold, reverse and underline.
# Used when NO_COLOR is set or the terminal has no colours. Roles stay readable
# because every role is also a word or a symbol on screen.
palette: {}

roles:
  normal:    { }
  master:    { attributes: [bold] }
  slave:     { }
  down:      { attributes: [underline] }
  unknown:   { attributes: [underline] }
  ok:        { }
  warning:   { attributes: [bold] }
  critical:  { attributes: [bold, underline] }
  header:    { attributes: [reverse] }
  border:    { }
  selection: { attributes: [reverse, bold] }
  dim:       { attributes: [dim] }
  dialog:    { attributes: [bold] }

"""#

    /// The embedded theme text for a name, if there is one.
    public static func text(named name: String) -> String? {
        switch name {
        case "default": defaultTheme
        case "monochrome": monochrome
        default: nil
        }
    }
}
