import CultureLensCore
import Foundation
import Testing

struct CacheKeyTests {
    let request = ModelRequest(api: .completions, prompt: "Question: x\nAnswer:", maxTokens: 1, topLogprobs: 20)

    @Test func equalRequestsShareAKey() {
        let copy = ModelRequest(api: .completions, prompt: "Question: x\nAnswer:", maxTokens: 1, topLogprobs: 20)
        #expect(request.cacheKey(model: "m") == copy.cacheKey(model: "m"))
    }

    @Test func everyAnswerChangingFieldChangesTheKey() {
        let base = request.cacheKey(model: "m")
        var variants: [ModelRequest] = []
        for change in 0..<5 {
            var changed = request
            switch change {
            case 0: changed.prompt += " "
            case 1: changed.api = .chat
            case 2: changed.maxTokens = 2
            case 3: changed.topLogprobs = 5
            default: changed.temperature = 0.7
            }
            variants.append(changed)
        }
        let keys = Set(variants.map { $0.cacheKey(model: "m") } + [request.cacheKey(model: "other"), base])
        #expect(keys.count == 7)
    }

    @Test func keyIsSHA256OfCanonicalJSON() {
        // Canonical form: sorted keys, no whitespace; pinned so that a change of encoding (which would orphan
        // every cached response) is caught.
        let canonical = String(decoding: CanonicalJSON.encode(["b": 1, "a": 2]), as: UTF8.self)
        #expect(canonical == #"{"a":2,"b":1}"#)
        #expect(Hashing.sha256Hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(request.cacheKey(model: "m").count == 64)
    }

    /// Today's keys, computed on the code before requests became chat messages (commit 380cb81): a plain prompt
    /// must keep its key, or every cached response of every plain-prompt run would be orphaned.
    @Test func plainPromptKeysArePinned() {
        let generate = ModelRequest(
            api: .chat,
            prompt: "Réponds: \"oui\" / non?\nAnswer:",
            maxTokens: 64,
            temperature: 0.7,
            topLogprobs: nil,
            seed: 3
        )
        #expect(request.cacheKey(model: "m") == "7154b9dde3b185297d4b9a493cd502add6077122a98f2860e862fdaf2152e812")
        // The stored form of a request (the cache's `request` column) is unchanged too.
        #expect(
            String(decoding: CanonicalJSON.encode(request), as: UTF8.self)
                == #"{"api":"completions","max_tokens":1,"prompt":"Question: x\nAnswer:","temperature":0,"top_logprobs":20}"#
        )
        #expect(generate.cacheKey(model: "gemma-3-270m-q4_k_m") == "a5b3ef9cb0074c0ccc0a468a9108157a0dc4d508868fac5815551f5b6fdc0e87")
    }
}
