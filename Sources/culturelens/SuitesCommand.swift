import ArgumentParser
import CultureLensCore
import Foundation

struct SuitesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suites", abstract: "List the built-in suites.")

    func run() throws {
        print("suite      items  cultures  version  source     licence     title")
        for name in SuiteCatalog.names {
            guard let suite = SuiteCatalog.suite(named: name) else { continue }
            let cultures = Set(suite.items.map(\.culture)).count
            print(
                [
                    name.padding(toLength: 10, withPad: " ", startingAt: 0),
                    String(suite.items.count).padding(toLength: 6, withPad: " ", startingAt: 0),
                    String(cultures).padding(toLength: 9, withPad: " ", startingAt: 0),
                    suite.version.padding(toLength: 8, withPad: " ", startingAt: 0),
                    suite.source.padding(toLength: 10, withPad: " ", startingAt: 0),
                    suite.licence.padding(toLength: 11, withPad: " ", startingAt: 0),
                    suite.title,
                ].joined(separator: " ")
            )
        }
    }
}
