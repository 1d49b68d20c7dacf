import Foundation
import Testing
@testable import AMQTopScreen

@Suite struct ThemeTests {
    static let themesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Themes").standardized.path

    func loader(_ env: [String: String] = [:], files: [String: String] = [:]) -> ThemeLoader {
        var environment = env
        environment["AMQTOP_THEMES"] = environment["AMQTOP_THEMES"] ?? Self.themesDir
        return ThemeLoader(environment: environment, executablePath: nil) { path in
            files[path] ?? (try? String(contentsOfFile: path, encoding: .utf8))
        }
    }

    @Test(arguments: ["default", "light", "high-contrast", "monochrome"])
    func shippedThemesLoadWithEveryRole(name: String) throws {
        let theme = try loader().load(name)
        #expect(theme.name == name)
        #expect(theme.source.hasSuffix("Themes/\(name).yaml"))
        for role in StyleRole.allCases { #expect(theme.styles[role] != nil) }
    }

    @Test func embeddedCopiesMatchTheFiles() throws {
        // Every theme in Themes/ is embedded, and each copy is the file byte for byte.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesDir).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(EmbeddedThemes.names))
        for name in EmbeddedThemes.names {
            #expect(try String(contentsOfFile: Self.themesDir + "/\(name).yaml", encoding: .utf8) == EmbeddedThemes.text(named: name), "\(name)")
        }
    }

    @Test func defaultIsEmbeddedWhenNoFolderIsFound() throws {
        let bare = ThemeLoader(environment: [:], executablePath: nil) { _ in nil }
        #expect(try bare.load(nil).source == "embedded default.yaml")
        // Every shipped theme works away from the source tree.
        for name in EmbeddedThemes.names {
            let theme = try bare.load(name)
            #expect(theme.source == "embedded \(name).yaml")
            for role in StyleRole.allCases { #expect(theme.styles[role] != nil) }
        }
        let missing = #expect(throws: ThemeError.self) { try bare.load("solarized") }
        #expect(missing?.description.contains("built in: default, light, high-contrast, monochrome") == true)
    }

    @Test func monochromeUsesAttributesOnlyAndNoColorSelectsIt() throws {
        let mono = try loader().load("monochrome")
        #expect(mono.isMonochrome)
        #expect(mono.style(.selection).attributes.contains(.reverse))
        #expect(try loader(["NO_COLOR": "1"]).load("light").name == "monochrome")
        #expect(try loader(["NO_COLOR": ""]).load("light").name == "light")
    }

    @Test func userThemesComeFromXDGAndFallBackToDefaultRoles() throws {
        let files = ["/xdg/amqtop/themes/mine.yaml": "palette:\n  hot: \"#ff0000\"\nroles:\n  master: { fg: hot, attributes: [underline] }\n"]
        let theme = try loader(["XDG_CONFIG_HOME": "/xdg"], files: files).load("mine")
        #expect(theme.style(.master) == RoleStyle(foreground: .rgb(255, 0, 0), attributes: [.underline]))
        let base = try loader().load("default")
        #expect(theme.style(.slave) == base.style(.slave))
    }

    @Test func unknownRoleNamesFileAndLine() throws {
        let files = ["/t/bad.yaml": "palette: {}\nroles:\n  master: { fg: red }\n  mastr: { fg: red }\n"]
        let error = #expect(throws: ThemeError.self) { try loader(files: files).load("/t/bad.yaml") }
        #expect(error?.file == "/t/bad.yaml")
        #expect(error?.line == 4)
        #expect(error?.description.contains("unknown role") == true)
        #expect(error?.description.contains("mastr") == false)
    }

    @Test func badColourNamesFileAndLine() throws {
        let files = ["/t/bad.yaml": "roles:\n  ok: { fg: green }\n  warning: { fg: \"#12345\" }\n"]
        let error = #expect(throws: ThemeError.self) { try loader(files: files).load("/t/bad.yaml") }
        #expect(error?.line == 3)
        #expect(error?.description.hasPrefix("/t/bad.yaml:3: column 18: bad colour") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("#12345") == false)
    }

    /// A file that is no theme (`--theme /etc/shadow`) gets an error naming the file and line, never a byte of its text.
    @Test(arguments: [
        "root:$6$SECRETHASH$abc:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
        "SECRETHASH: 1\n",
        "roles:\n  SECRETHASH: { fg: red }\n",
        "roles:\n  master: { SECRETHASH: red }\n",
        "roles:\n  master: { fg: SECRETHASH }\n",
        "roles:\n  master: { attributes: [SECRETHASH] }\n",
        "palette:\n  x: SECRETHASH\n",
        "palette: [SECRETHASH]\n",
        "roles: SECRETHASH\n",
        "roles:\n  master: SECRETHASH\n",
        "key: [SECRETHASH\n",
        "\"SECRETHASH\n",
        "- SECRETHASH\n- x: y\n",
        "SECRETHASH: {\tbad\n",
    ])
    func errorsNeverQuoteTheFile(text: String) throws {
        let files = ["/etc/shadowlike": text]
        let error = #expect(throws: ThemeError.self) { try loader(files: files).load("/etc/shadowlike") }
        let description = error?.description ?? ""
        #expect(description.hasPrefix("/etc/shadowlike"), "\(description)")
        #expect(!description.contains("SECRET"), "\(description)")
        #expect(!description.contains("19000"), "\(description)")
    }

    @Test func coloursMapToWhatTheTerminalHas() {
        #expect(ThemeColor(parsing: "#ff0000")?.cursesIndex(colors: 256) == 196)
        #expect(ThemeColor(parsing: "#ff0000")?.cursesIndex(colors: 8) == 1)
        #expect(ThemeColor(parsing: "bright-green")?.cursesIndex(colors: 8) == 2)
        #expect(ThemeColor(parsing: "default")?.cursesIndex(colors: 256) == -1)
        #expect(ThemeColor(parsing: "300") == nil)
        #expect(ThemeColor(parsing: "#808080")?.cursesIndex(colors: 256) == 244)
    }
}
