import ArgumentParser
import CultureLensCore
import Foundation

@main
struct CultureLensTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "culturelens",
        abstract: "Measure the cultural alignment of language models, with the uncertainty of every number.",
        version: CultureLensVersion.current,
        subcommands: [RunCommand.self, ScoreCommand.self, SuitesCommand.self, ModelsCommand.self, DatasetsCommand.self, WorkerCommand.self, StatusCommand.self, RobustnessCommand.self, CompareCommand.self, ImportCommand.self, ReportCommand.self, ExportCommand.self, ServeCommand.self]
    )

    /// Runs the command, mapping usage errors to exit status 2 (ArgumentParser's default is 64, EX_USAGE).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
