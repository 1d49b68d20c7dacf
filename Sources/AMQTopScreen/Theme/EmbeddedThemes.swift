/// Built-in copies of every shipped theme, so `--theme NAME` works with no `Themes/` folder.
///
/// Kept identical to the files in `Themes/` (`ThemeTests.embeddedCopiesMatchTheFiles`
/// checks each one), so a theme edited there must be copied here too.
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

    /// `Themes/light.yaml`.
    public static let light = #"""
# amqtop light theme: for light terminal backgrounds (dark text, deeper colours).
palette:
  green: "#008700"
  blue: "#005fd7"
  red: "#d70000"
  amber: "#af5f00"
  grey: "#6c6c6c"
  purple: "#8700af"
  bar: "#d0d0d0"
  select: "#afd7ff"
  panel: "#eeeeee"
  ink: "#000000"

roles:
  normal:    { fg: default, bg: default }
  master:    { fg: green, attributes: [bold] }
  slave:     { fg: blue }
  down:      { fg: red }
  unknown:   { fg: purple }
  ok:        { fg: green }
  warning:   { fg: amber, attributes: [bold] }
  critical:  { fg: red, attributes: [bold] }
  header:    { fg: ink, bg: bar }
  border:    { fg: grey }
  selection: { fg: ink, bg: select }
  dim:       { fg: grey }
  dialog:    { fg: ink, bg: panel }

"""#

    /// `Themes/high-contrast.yaml`.
    public static let highContrast = #"""
# amqtop high-contrast theme: the 16 basic colours only, bright on black, bold where it matters.
palette:
  fg: bright-white
  bg: black

roles:
  normal:    { fg: fg, bg: bg }
  master:    { fg: bright-green, bg: bg, attributes: [bold] }
  slave:     { fg: bright-cyan, bg: bg, attributes: [bold] }
  down:      { fg: bright-red, bg: bg, attributes: [bold] }
  unknown:   { fg: bright-magenta, bg: bg, attributes: [bold] }
  ok:        { fg: bright-green, bg: bg, attributes: [bold] }
  warning:   { fg: black, bg: bright-yellow, attributes: [bold] }
  critical:  { fg: bright-white, bg: red, attributes: [bold] }
  header:    { fg: black, bg: bright-white, attributes: [bold] }
  border:    { fg: bright-white, bg: bg }
  selection: { fg: black, bg: bright-cyan, attributes: [bold] }
  dim:       { fg: white, bg: bg }
  dialog:    { fg: bright-white, bg: blue, attributes: [bold] }

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

    /// The names of the built-in themes, in the order the help lists them.
    public static let names = ["default", "light", "high-contrast", "monochrome"]

    /// The embedded theme text for a name, if there is one.
    public static func text(named name: String) -> String? {
        switch name {
        case "default": defaultTheme
        case "light": light
        case "high-contrast": highContrast
        case "monochrome": monochrome
        default: nil
        }
    }
}
