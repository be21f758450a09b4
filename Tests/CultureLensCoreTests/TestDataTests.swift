import CultureLensTesting
import Foundation
import Testing

/// The third-party test data: skipped tests name it, and CI cannot pass without it.
@Suite struct TestDataTests {
    /// Under CI every folder must be there: a run that skipped the data-dependent tests must not pass.
    @Test(.enabled(if: TestData.isRequired, "only under CI (CI=true)"))
    func everyFolderIsPresentUnderCI() {
        let missing = TestData.missingFolders
        #expect(
            missing.isEmpty,
            "CI=true but the third-party test data is incomplete in \(TestData.directory.path): missing \(missing.joined(separator: ", ")); put ../shared/data beside the checkout, set \(TestData.environmentVariable), or run `make test-data`"
        )
    }

    @Test func theSkipReasonNamesTheFolderAndTheWayToGetIt() {
        let reason = TestData.skipReason("blend")
        #expect(reason.contains("'blend'"))
        #expect(reason.contains(TestData.environmentVariable))
        #expect(reason.contains("make test-data"))
    }

    @Test func theFolderIsTheVariableThenTheSiblingThenTheCache() {
        let root = TestData.packageRoot
        let relative = TestData.directory(environment: [TestData.environmentVariable: "data-here"]) { _ in true }
        #expect(relative.path == root.appendingPathComponent("data-here").path)
        let absolute = TestData.directory(environment: [TestData.environmentVariable: "/srv/data"]) { _ in true }
        #expect(absolute.path == "/srv/data")
        let sibling = TestData.directory(environment: [:]) { _ in true }
        #expect(sibling.path == root.deletingLastPathComponent().appendingPathComponent("shared/data").path)
        let cache = TestData.directory(environment: ["XDG_CACHE_HOME": "/tmp/xdg"]) { _ in false }
        #expect(cache.path == "/tmp/xdg/culturelens/test-data")
    }
}
