import Foundation
import PackagePlugin

/// Compiles the built-in dataset specs (`Specs/*.yaml` of the target) into the target as Swift string literals, so
/// the YAML files are the single source of truth and the product stays one binary without a resource bundle.
@main
struct EmbedSpecs: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let directory = target.directoryURL.appending(path: "Specs")
        // The file-name order is the listing order: sorted here and again by the tool, so it never depends on the
        // file system's enumeration order.
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinSpecs+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) built-in specs from \(directory.path)",
                executable: try context.tool(named: "EmbedSpecsTool").url,
                arguments: [output.path] + files.map(\.path),
                // The directory too, so that adding or removing a file re-runs the command.
                inputFiles: [directory] + files,
                outputFiles: [output]
            )
        ]
    }
}
