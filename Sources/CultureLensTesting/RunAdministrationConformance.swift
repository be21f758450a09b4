public import CultureLensCore
import Foundation

/// The conformance check for ``RunAdministration`` (labels, attachments and deletion), run against SQLite, PostgreSQL and the
/// in-memory store alike, so the dashboard behaves the same on each.
public enum RunAdministrationConformance {
    /// Labels are set, replaced and removed; unknown runs are reported as such; deleting a run removes it, its
    /// results and its label, keeps the shared response cache, and a second delete reports that nothing was there.
    public static func labelsAndDeletion(_ store: any RunAdministration) async throws {
        let check = "labelsAndDeletion"
        let kept = try await store.openRun(
            ResultStoreConformance.makeRun(
                id: ResultStoreConformance.uniqueID("admin-kept"),
                createdAt: Date(timeIntervalSince1970: 1_700_000_000)
            )
        )
        let doomed = try await store.openRun(
            ResultStoreConformance.makeRun(
                id: ResultStoreConformance.uniqueID("admin-doomed"),
                createdAt: Date(timeIntervalSince1970: 1_700_000_001)
            )
        )
        let key = ResultStoreConformance.uniqueID("admin-key")
        let response = ResultStoreConformance.sampleResponse(7)
        for run in [kept, doomed] {
            try await store.save(
                ResultStoreConformance.makeResult(runID: run.id, index: 0, cacheKey: key),
                cacheEntry: ResultStoreConformance.makeCacheEntry(key: key, response: response)
            )
        }

        try ResultStoreConformance.require(
            check,
            try await store.setRunLabel(id: kept.id, label: "baseline"),
            "labelling an existing run must say it exists"
        )
        try ResultStoreConformance.require(
            check,
            try await store.setRunLabel(id: doomed.id, label: "first"),
            "labelling an existing run must say it exists"
        )
        try ResultStoreConformance.require(
            check,
            try await store.setRunLabel(id: doomed.id, label: "second"),
            "relabelling must say the run exists"
        )
        var labels = try await store.runLabels()
        try ResultStoreConformance.require(
            check,
            labels[kept.id] == "baseline" && labels[doomed.id] == "second",
            "labels must read back, the last one winning: got \(labels)"
        )
        try ResultStoreConformance.require(
            check,
            !(try await store.setRunLabel(id: ResultStoreConformance.uniqueID("admin-missing"), label: "x")),
            "labelling an unknown run must say it does not exist"
        )

        try ResultStoreConformance.require(
            check,
            try await store.setRunLabel(id: kept.id, label: ""),
            "removing a label must say the run exists"
        )
        labels = try await store.runLabels()
        try ResultStoreConformance.require(
            check,
            labels[kept.id] == nil,
            "an empty label removes the label: got \(labels[kept.id] ?? "nil")"
        )
        try ResultStoreConformance.require(
            check,
            try await store.setRunLabel(id: kept.id, label: nil),
            "a nil label on an unlabelled run must say the run exists"
        )

        // Attachments: stored, replaced, per run and per name; unknown runs refused; gone with their run.
        let first = Data("{\"level\":\"ok\"}".utf8)
        let second = Data([0, 255, 10, 13, 0x7B])
        try ResultStoreConformance.require(
            check,
            try await store.runAttachment(id: kept.id, name: "card") == nil,
            "a run without attachments has none"
        )
        try ResultStoreConformance.require(
            check,
            try await store.setRunAttachment(id: doomed.id, name: "card", data: first),
            "attaching to an existing run must say it exists"
        )
        try ResultStoreConformance.require(
            check,
            try await store.setRunAttachment(id: doomed.id, name: "card", data: second),
            "replacing an attachment must say the run exists"
        )
        try ResultStoreConformance.require(
            check,
            try await store.setRunAttachment(id: kept.id, name: "card", data: first),
            "attaching to an existing run must say it exists"
        )
        try ResultStoreConformance.require(
            check,
            try await store.runAttachment(id: doomed.id, name: "card") == second,
            "the last attachment wins, byte for byte"
        )
        try ResultStoreConformance.require(
            check,
            try await store.runAttachment(id: kept.id, name: "card") == first,
            "attachments are per run"
        )
        try ResultStoreConformance.require(
            check,
            try await store.runAttachment(id: kept.id, name: "other") == nil,
            "attachments are per name"
        )
        try ResultStoreConformance.require(
            check,
            !(try await store.setRunAttachment(
                id: ResultStoreConformance.uniqueID("admin-missing"),
                name: "card",
                data: first
            )),
            "attaching to an unknown run must say it does not exist"
        )

        try ResultStoreConformance.require(
            check,
            try await store.deleteRun(id: doomed.id),
            "deleting an existing run must say it existed"
        )
        try ResultStoreConformance.require(
            check,
            try await store.runAttachment(id: doomed.id, name: "card") == nil,
            "a deleted run's attachments must be gone"
        )
        try ResultStoreConformance.require(
            check,
            try await store.run(id: doomed.id) == nil,
            "a deleted run must be gone"
        )
        try ResultStoreConformance.require(
            check,
            try await store.results(runID: doomed.id).isEmpty,
            "a deleted run's results must be gone"
        )
        try ResultStoreConformance.require(
            check,
            try await store.runLabels()[doomed.id] == nil,
            "a deleted run's label must be gone"
        )
        try ResultStoreConformance.require(
            check,
            !(try await store.deleteRun(id: doomed.id)),
            "deleting a run twice must say nothing was there"
        )
        try ResultStoreConformance.require(
            check,
            try await store.cachedResponse(key: key) == response,
            "deleting a run keeps the shared response cache"
        )
        let keptRun = try await store.run(id: kept.id)
        let keptResults = try await store.results(runID: kept.id)
        try ResultStoreConformance.require(
            check,
            keptRun != nil && keptResults.count == 1,
            "deleting one run leaves the others"
        )
    }
}
