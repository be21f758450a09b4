import ArgumentParser
import CultureLensCore

@main
struct CultureLensTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "culturelens",
        abstract: "Measure the cultural alignment of language models, with the uncertainty of every number.",
        version: CultureLensVersion.current,
        subcommands: [RunCommand.self, SuitesCommand.self, ModelsCommand.self]
    )
}
