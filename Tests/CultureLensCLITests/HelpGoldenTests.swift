import ArgumentParser
import CultureLensTesting
import Foundation
import Testing

@testable import culturelens

/// `--help` of the tool and of every subcommand, rendered in-process at 100 columns and compared with the golden
/// files in `Golden/` (`CULTURELENS_RECORD_GOLDEN=1` rewrites them, and fails).
struct HelpGoldenTests {
    /// The tool, its subcommands and theirs (`export eee`).
    static let commands: [any ParsableCommand.Type] =
        [CultureLensTool.self]
        + CultureLensTool.configuration.subcommands.flatMap { [$0] + $0.configuration.subcommands }

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    }

    /// `NAME-help.txt`; a nested subcommand's name is prefixed with its parent's (`export-eee-help.txt`).
    static func goldenName(_ command: any ParsableCommand.Type) -> String {
        let parent = CultureLensTool.configuration.subcommands.first {
            $0.configuration.subcommands.contains { $0 == command }
        }
        let names = [parent?.configuration.commandName, command.configuration.commandName ?? "culturelens"]
        return names.compactMap { $0 }.joined(separator: "-") + "-help.txt"
    }

    /// The text `culturelens SUBCOMMAND --help` prints.
    static func help(_ command: any ParsableCommand.Type) -> String {
        CultureLensTool.helpMessage(for: command, columns: 100) + "\n"
    }

    @Test(arguments: 0..<commands.count)
    func helpMatchesItsGoldenFile(index: Int) throws {
        let command = Self.commands[index]
        let artifacts = FileManager.default.temporaryDirectory.appendingPathComponent("culturelens-golden-actual")
        if let problem = try GoldenFile.problem(
            Self.help(command),
            name: Self.goldenName(command),
            directory: Self.directory,
            artifacts: artifacts
        ) {
            Issue.record(Comment(rawValue: problem))
        }
    }

    @Test func everySubcommandHasAGoldenFileAndNoGoldenFileIsStale() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter {
            $0.hasSuffix("-help.txt")
        }
        #expect(Set(files) == Set(Self.commands.map(Self.goldenName)))
    }
}
