import CultureLensCore
import CultureLensStore
import CultureLensTesting
import Foundation
import Testing

/// `culturelens import`: logs written by the real tools (lm-eval and Inspect from `make setup`'s virtualenv) against a scripted
/// endpoint whose answers are known, imported and compared with what the tools reported and with a CultureLens run.
struct ImportCLITests {
    /// Ten questions, their options and gold letters; the endpoint answers `answers[i]`, right on six of them.
    static let items: [(id: String, question: String, choices: [String], gold: String, answer: String)] = [
        ("tea", "Which drink is brewed from leaves [k0]?", ["tea", "milk", "juice", "water"], "A", "A"),
        ("sun", "What rises in the east [k1]?", ["moon", "sun", "comet", "cloud"], "B", "B"),
        ("ice", "What is frozen water called [k2]?", ["steam", "mist", "ice", "dew"], "C", "C"),
        ("owl", "Which bird hunts at night [k3]?", ["robin", "swan", "duck", "owl"], "D", "D"),
        ("map", "What shows roads and towns [k4]?", ["map", "clock", "cup", "shoe"], "A", "A"),
        ("oar", "What moves a rowing boat [k5]?", ["wheel", "oar", "sail", "wing"], "B", "B"),
        ("bee", "Which insect makes honey [k6]?", ["ant", "fly", "bee", "moth"], "C", "A"),
        ("key", "What opens a lock [k7]?", ["key", "nail", "pen", "rope"], "A", "D"),
        ("hat", "What is worn on the head [k8]?", ["sock", "hat", "glove", "belt"], "B", "C"),
        ("rye", "Which of these is a grain [k9]?", ["rye", "pea", "fig", "yam"], "A", "B"),
    ]
    static let expectedAccuracy = 0.6

    static var lmEval: String { CLIProcess.packageRoot + "/.venv/bin/lm-eval" }
    static var lmEvalInstalled: Bool { FileManager.default.isExecutableFile(atPath: lmEval) }
    static var inspect: String { CLIProcess.packageRoot + "/.venv/bin/inspect" }
    static var inspectInstalled: Bool { FileManager.default.isExecutableFile(atPath: inspect) }

    /// An Inspect task over `data`: the multiple_choice solver and the choice scorer.
    static func inspectTask(data: String) -> String {
        """
        from inspect_ai import Task, task
        from inspect_ai.dataset import FieldSpec, json_dataset
        from inspect_ai.scorer import choice
        from inspect_ai.solver import multiple_choice


        @task
        def culturelens_import():
            return Task(
                dataset=json_dataset("\(data)", FieldSpec(input="question", choices="choices", target="answer", id="id")),
                solver=multiple_choice(),
                scorer=choice(),
            )

        """
    }

    /// Answers each chat completion with the letter scripted for the question its prompt contains.
    static func scriptedServer() async throws -> ScriptedHTTPServer {
        try await ScriptedHTTPServer.start { request in
            guard request.path.hasSuffix("/chat/completions") else {
                return .respond(status: 404, body: FakeOpenAI.error(message: "not found"))
            }
            let body = request.bodyString
            let index = items.indices.first { body.contains("[k\($0)]") }
            return .json(
                FakeOpenAI.chatCompletion(text: "Answer: \(index.map { items[$0].answer } ?? "none")", topLogprobs: nil)
            )
        }
    }

    static func row(_ item: (id: String, question: String, choices: [String], gold: String, answer: String), id: String)
        throws -> String
    {
        let object: [String: Any] = ["id": id, "question": item.question, "choices": item.choices, "answer": item.gold]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            as: UTF8.self
        )
    }

    /// An lm-eval task over `data`, prompting the letters like bench.py and reading the first letter back.
    static func lmEvalTask(name: String, data: String) -> String {
        """
        task: \(name)
        dataset_path: json
        dataset_kwargs:
          data_files:
            test: \(data)
        test_split: test
        output_type: generate_until
        doc_to_text: "{{question}}\\nA. {{choices[0]}}\\nB. {{choices[1]}}\\nC. {{choices[2]}}\\nD. {{choices[3]}}\\nAnswer with the letter of the correct option.\\nAnswer:"
        doc_to_target: "{{answer}}"
        generation_kwargs:
          until: ["\\n\\n"]
          max_gen_toks: 16
          do_sample: false
          temperature: 0
        filter_list:
          - name: letter
            filter:
              - function: regex
                regex_pattern: "([ABCD])$"
              - function: take_first
        metric_list:
          - metric: exact_match

        """
    }

    /// Runs lm-eval on the task in `tasks` against `server`, writing into `output`.
    static func runLMEval(task: String, tasks: String, output: String, server: ScriptedHTTPServer, home: String)
        async throws -> (status: Int32, log: String)
    {
        try await runTool(
            lmEval,
            home: home,
            arguments: [
                "run", "--model", "local-chat-completions", "--model_args",
                "model=lmeval-model,base_url=\(server.baseURL)/v1/chat/completions,num_concurrent=1,max_retries=1,"
                    + "tokenized_requests=False,tokenizer_backend=None",
                "--apply_chat_template", "--tasks", task, "--include_path", tasks, "--output_path", output,
                "--log_samples",
            ]
        )
    }

    /// Runs `executable` with `arguments` offline against the scripted endpoint, its output in HOME/tool.log.
    /// Runs Inspect on `home`'s task.py against `server`, writing its logs into `logs` (its default `.eval` format
    /// unless `extra` says otherwise).
    static func runInspect(_ server: ScriptedHTTPServer, home: String, logs: String, extra: [String] = [])
        async throws -> (status: Int32, log: String)
    {
        try await runTool(
            inspect,
            home: home,
            arguments: [
                "eval", "task.py", "--model", "openai/inspect-model", "-M", "responses_api=false",
                "--model-base-url", server.baseURL + "/v1", "--log-dir", logs,
            ] + extra
        )
    }

    /// Waits without blocking a thread of the cooperative pool: the scripted endpoint the tool talks to answers from
    /// that pool, and a blocked wait on a 2-core machine starved it (and every other test) for minutes.
    static func runTool(_ executable: String, home: String, arguments: [String]) async throws -> (
        status: Int32, log: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // Inspect takes the task file relative to the working directory.
        process.currentDirectoryURL = URL(fileURLWithPath: home)
        var environment = ProcessInfo.processInfo.environment
        // The Hub is not reachable: lm-eval reads the local JSON file and needs no tokenizer.
        environment["OPENAI_API_KEY"] = "EMPTY"
        environment["HF_DATASETS_OFFLINE"] = "1"
        environment["HF_HUB_OFFLINE"] = "1"
        environment["TRANSFORMERS_OFFLINE"] = "1"
        environment["HF_HOME"] = home + "/hf"
        process.environment = environment
        let log = home + "/tool.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }

    static func object(_ path: String) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        )
    }

    /// `culturelens import TOOL PATH --data DATA --output OUTPUT`, expected to map all ten samples by content;
    /// returns the results.json written.
    static func importAll(
        _ tool: String,
        _ path: String,
        data: String,
        output: String,
        _ environment: [String: String]
    ) async throws -> [String: Any] {
        let result = try await CLIProcess.run(
            ["import", tool, path, "--data", data, "--output", output],
            environment: environment
        )
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("imported 10 of 10 samples (10 matched to mcq-jsonl items by content"))
        return try object(output + "/results.json")
    }

    /// The lines of a run directory's samples.jsonl.
    static func samples(_ directory: String) throws -> [[String: Any]] {
        try String(contentsOfFile: directory + "/samples.jsonl", encoding: .utf8)
            .split(separator: "\n")
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    static func accuracy(_ results: [String: Any]) -> (value: Double?, n: Int?) {
        let accuracy = (results["summary"] as? [String: Any])?["accuracy"] as? [String: Any]
        return (accuracy?["value"] as? Double, accuracy?["n"] as? Int)
    }

    @Test(
        .enabled(
            if: (lmEvalInstalled && inspectInstalled) || TestData.isRequired,
            "lm-eval or inspect-ai is not installed in .venv (run `make setup`)"
        )
    )
    func lmEvalAndInspectRunsImportWithTheirAccuracyAndReportBesideACultureLensRun() async throws {
        try #require(Self.lmEvalInstalled, "lm-eval is required under CI: `make setup` installs it into .venv")
        let home = try CLIProcess.temporaryDirectory("import-lmeval")
        let server = try await Self.scriptedServer()
        defer { Task { try? await server.shutdown() } }

        // CultureLens's rows in one order; lm-eval's in another order and under other ids: only content can map them.
        let data = home + "/items.jsonl"
        try Self.items.map { try Self.row($0, id: $0.id) }.joined(separator: "\n").write(
            toFile: data,
            atomically: true,
            encoding: .utf8
        )
        let shuffled = [7, 2, 9, 0, 5, 3, 8, 1, 6, 4].map { Self.items[$0] }
        let lmData = home + "/lm-items.jsonl"
        try shuffled.enumerated().map { try Self.row($0.element, id: "row-\($0.offset)") }.joined(separator: "\n")
            .write(toFile: lmData, atomically: true, encoding: .utf8)
        let tasks = home + "/tasks"
        try FileManager.default.createDirectory(atPath: tasks, withIntermediateDirectories: true)
        try Self.lmEvalTask(name: "culturelens_import", data: lmData).write(
            toFile: tasks + "/culturelens_import.yaml",
            atomically: true,
            encoding: .utf8
        )
        let lmOutput = home + "/lm-out"
        let lm = try await Self.runLMEval(
            task: "culturelens_import",
            tasks: tasks,
            output: lmOutput,
            server: server,
            home: home
        )
        try #require(lm.status == 0, "lm-eval failed:\n\(lm.log.suffix(3000))")

        // What lm-eval itself reported.
        let resultsFile = try #require(
            FileManager.default.enumerator(atPath: lmOutput)?.compactMap { $0 as? String }
                .first { $0.hasSuffix(".json") && URL(fileURLWithPath: $0).lastPathComponent.hasPrefix("results_") }
        )
        let lmResults = try Self.object(lmOutput + "/" + resultsFile)
        let reported = try #require(
            ((lmResults["results"] as? [String: Any])?["culturelens_import"] as? [String: Any])?["exact_match,letter"]
                as? Double
        )
        #expect(abs(reported - Self.expectedAccuracy) < 1e-9)

        let environment = ["CULTURELENS_HOME": home + "/cl"]
        let imported = home + "/imported"
        let document = try await Self.importAll("lm-eval", lmOutput, data: data, output: imported, environment)
        let accuracy = Self.accuracy(document)
        #expect(accuracy.n == 10)
        #expect(accuracy.value.map { abs($0 - reported) < 1e-9 } == true)
        let run = try #require(document["run"] as? [String: Any])
        #expect(run["model"] as? String == "lmeval-model")
        let settings = run["settings"] as? [String: String] ?? [:]
        #expect(settings["import_tool"] == "lm-eval")
        #expect(settings["import_tool_version"] == "0.4.13")
        #expect(settings["import_unmapped"] == "0")

        // Each sample carries the CultureLens item its content matches, with the scripted answer's score.
        let samples = try Self.samples(imported)
        #expect(samples.count == 10)
        for sample in samples {
            let id = try #require(sample["item_id"] as? String)
            let item = try #require(Self.items.first { $0.id == id }, "unexpected item id \(id)")
            #expect(sample["score"] as? Double == (item.gold == item.answer ? 1 : 0), "\(id)")
            #expect(sample["response"] as? String == "Answer: \(item.answer)")
            #expect(sample["item_index"] as? Int == Self.items.firstIndex { $0.id == id })
        }

        // Stored as a completed run.
        let store = try SQLiteResultStore(path: home + "/cl/culturelens.sqlite")
        let stored = try #require(try await store.runs().first)
        #expect(stored.status == .completed)
        #expect(try await store.results(runID: stored.id).count == 10)

        // The same items run by CultureLens against the same endpoint, then one report and a comparison of both.
        let native = home + "/native"
        let own = try await CLIProcess.run(
            [
                "run", "mcq-jsonl", "--data", data, "--model", "fake-model", "--base-url", server.baseURL + "/v1",
                "--api", "chat", "--scoring", "generate", "--no-card", "--output", native,
            ],
            environment: environment
        )
        #expect(own.status == 0, "\(own.stderr)")
        #expect(Self.accuracy(try Self.object(native + "/results.json")).value == Self.expectedAccuracy)
        // The same items through Inspect (a JSON log), imported the same way.
        try #require(Self.inspectInstalled, "inspect-ai is required under CI: `make setup` installs it into .venv")
        try Self.inspectTask(data: lmData).write(toFile: home + "/task.py", atomically: true, encoding: .utf8)
        let inspectLogs = home + "/inspect-logs"
        let inspectRun = try await Self.runInspect(
            server,
            home: home,
            logs: inspectLogs,
            extra: ["--log-format", "json"]
        )
        try #require(inspectRun.status == 0, "inspect failed:\n\(inspectRun.log.suffix(3000))")
        let logName = try #require(
            try FileManager.default.contentsOfDirectory(atPath: inspectLogs).first {
                $0.hasSuffix(".json") && $0 != "logs.json"
            }
        )
        let inspectLog = try Self.object(inspectLogs + "/" + logName)
        let inspectScores = try #require((inspectLog["results"] as? [String: Any])?["scores"] as? [[String: Any]])
        let inspectReported = try #require(
            ((inspectScores.first?["metrics"] as? [String: Any])?["accuracy"] as? [String: Any])?["value"] as? Double
        )
        #expect(abs(inspectReported - Self.expectedAccuracy) < 1e-9)
        let inspected = home + "/inspected"
        let inspectDocument = try await Self.importAll(
            "inspect",
            inspectLogs,
            data: data,
            output: inspected,
            environment
        )
        #expect(Self.accuracy(inspectDocument).n == 10)
        #expect(Self.accuracy(inspectDocument).value.map { abs($0 - inspectReported) < 1e-9 } == true)
        #expect((inspectDocument["run"] as? [String: Any])?["model"] as? String == "openai/inspect-model")
        let inspectSamples = try Self.samples(inspected)
        #expect(Set(inspectSamples.compactMap { $0["item_id"] as? String }) == Set(Self.items.map(\.id)))

        // Inspect's default log format: an .eval ZIP of zstd-compressed entries, read through the zstd command.
        let evalLogs = home + "/inspect-eval-logs"
        let evalRun = try await Self.runInspect(server, home: home, logs: evalLogs)
        try #require(evalRun.status == 0, "inspect failed:\n\(evalRun.log.suffix(3000))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: evalLogs).contains { $0.hasSuffix(".eval") })
        let evalDocument = try await Self.importAll(
            "inspect",
            evalLogs,
            data: data,
            output: home + "/eval",
            environment
        )
        #expect(Self.accuracy(evalDocument).n == 10)
        #expect(Self.accuracy(evalDocument).value.map { abs($0 - inspectReported) < 1e-9 } == true)
        let evalSamples = try Self.samples(home + "/eval")
        #expect(Set(evalSamples.compactMap { $0["item_id"] as? String }) == Set(Self.items.map(\.id)))

        let html = home + "/report.html"
        let report = try await CLIProcess.run(
            ["report", native, imported, inspected, "--output", html],
            environment: environment
        )
        #expect(report.status == 0, "\(report.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.contains("lmeval-model"))
        #expect(page.contains("fake-model"))
        #expect(page.contains("openai/inspect-model"))
        let compare = try await CLIProcess.run(["compare", native, imported, "--json"], environment: environment)
        #expect(compare.status == 0, "\(compare.stderr)")
    }

    @Test func aCorruptSamplesLineNamesTheFileAndLine() async throws {
        let home = try CLIProcess.temporaryDirectory("import-bad")
        let file = home + "/samples_task_2026-01-01T00-00-00.000000.jsonl"
        let good =
            #"{"doc_id": 0, "doc": {"question": "Q?", "choices": ["a", "b"]}, "target": "A", "resps": [["A"]], "#
            + #""filtered_resps": ["A"], "filter": "none", "metrics": ["exact_match"], "exact_match": 1.0}"#
        let missingScore =
            #"{"doc_id": 1, "doc": {"question": "R?", "choices": ["a", "b"]}, "target": "A", "resps": [["B"]], "#
            + #""filtered_resps": ["B"], "filter": "none", "metrics": ["exact_match"]}"#
        try [good, missingScore].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await CLIProcess.run(
            ["import", "lm-eval", file],
            environment: ["CULTURELENS_HOME": home + "/cl"]
        )
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file):2: field 'exact_match': missing"), "\(result.stderr)")

        try [good, "{not json"].joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try await CLIProcess.run(
            ["import", "lm-eval", file],
            environment: ["CULTURELENS_HOME": home + "/cl"]
        )
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("\(file):2: not a JSON object"), "\(broken.stderr)")

        let zipped = home + "/log.eval"
        try "PK".write(toFile: zipped, atomically: true, encoding: .utf8)
        let eval = try await CLIProcess.run(
            ["import", "inspect", zipped],
            environment: ["CULTURELENS_HOME": home + "/cl"]
        )
        #expect(eval.status == 1)
        #expect(eval.stderr.contains("\(zipped): not a ZIP archive"), "\(eval.stderr)")
    }
}
