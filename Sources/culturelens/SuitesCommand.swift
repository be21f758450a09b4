import ArgumentParser
import CultureLensCore
import CultureLensDatasets
import Foundation

struct SuitesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suites",
        abstract: "List the built-in suites and dataset specs, with source, revision and licence.",
        discussion: """
            Spec suites read their data from the Hugging Face Hub (cached under $CULTURELENS_HOME/datasets) or from \
            --data PATH; their item counts depend on the data. `run NAME:PROMPT` runs one prompt of a spec; \
            `run path/to/spec.yaml` runs your own spec (docs/specs.md).
            """
    )

    func run() throws {
        let header = ["suite", "items", "cultures", "version", "source", "revision", "licence", "prompts", "title"]
        let rows = SuiteCatalog.entries.map { entry in
            [
                entry.name,
                entry.items.map(String.init) ?? "data",
                entry.cultures.map(String.init) ?? "-",
                entry.version,
                entry.source,
                entry.revision,
                entry.licence,
                entry.prompts.isEmpty ? "-" : entry.prompts.joined(separator: ","),
                entry.title,
            ]
        }
        let widths = header.indices.map { column in
            column == header.count - 1 ? 0 : ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [header] + rows {
            print(
                row.enumerated().map { column, cell in
                    column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  ")
            )
        }
    }
}
