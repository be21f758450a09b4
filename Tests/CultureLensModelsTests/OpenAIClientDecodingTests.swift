import CultureLensCore
import CultureLensStatistics
import CultureLensTesting
import Foundation
import Testing

@testable import CultureLensModels

/// The direct response reader against `JSONDecoder`: for every body, either the direct reader declines (and the
/// decoder decides) or it gives exactly the decoder's response, bit for bit.
struct OpenAIClientDecodingTests {
    static let chat = #"""
        {"id":"bench","object":"chat.completion","created":1800000000,"model":"fake","choices":[{"index":0,"message":{"role":"assistant","content":"B"},"logprobs":{"content":[{"token":"B","logprob":-0.05,"top_logprobs":[{"token":"B","logprob":-0.05},{"token":"A","logprob":-3.2},{"token":"C","logprob":-4.1},{"token":"D","logprob":-4.5}]}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":60,"completion_tokens":1,"total_tokens":61}}
        """#
    static let completion = #"""
        {"id":"bench","object":"text_completion","created":1800000000,"model":"fake","choices":[{"index":0,"text":" B","logprobs":{"tokens":[" B"],"token_logprobs":[-0.05],"top_logprobs":[{" B":-0.05," A":-3.2," C":-4.1," D":-4.5}],"text_offset":[0]},"finish_reason":"stop"}],"usage":{"prompt_tokens":60,"completion_tokens":1,"total_tokens":61}}
        """#

    /// Bodies the direct reader must accept, with the decoder's result.
    static let wellFormedChat = [
        chat,
        #"{"choices":[{"message":{"content":"Answer: C\n\u00e9\ud83d\ude00 \"q\""},"finish_reason":"length"}]}"#,
        #"{"choices":[{"message":{"content":null},"finish_reason":null,"logprobs":null}]}"#,
        #"{"choices":[{}]}"#,
        #"{"choices":[{"message":{}}],"extra":[1,2,{"x":null}]}"#,
        #"{"choices":[{"logprobs":{"content":[]}}]}"#,
        #"{"choices":[{"logprobs":{"content":null}}]}"#,
        #"{"choices":[{"logprobs":{"content":[{"token":"A","logprob":-1,"top_logprobs":null}]}}]}"#,
        #"{"choices":[{"logprobs":{"content":[{"token":"A","logprob":-1e-3,"top_logprobs":[{"token":"A","logprob":-0.000123456789012345678},{"token":"b","logprob":-12.5E+1}]},{"token":"x","logprob":0,"top_logprobs":[]}]}}]}"#,
        #"{"choices":[{"message":{"content":"one"}},{"message":{"content":"two"},"finish_reason":"stop"}]}"#,
        " \n{\"choices\" : [ { \"message\" : { \"content\" : \"spaced\" } } ] }\n",
        #"{"choices":[{"logprobs":{"content":[{"token":"A","logprob":-0.1,"top_logprobs":[{"token":"A","logprob":-0.1}]}]},"message":{"content":"A","role":"assistant","tool_calls":[]}}]}"#,
    ]

    static let wellFormedCompletion = [
        completion,
        #"{"choices":[{"text":"B","finish_reason":"length"}]}"#,
        #"{"choices":[{"text":null,"logprobs":null}]}"#,
        #"{"choices":[{"logprobs":{"top_logprobs":null}}]}"#,
        #"{"choices":[{"logprobs":{"top_logprobs":[]}}]}"#,
        #"{"choices":[{"logprobs":{"top_logprobs":[null,{"A":-1}]}}]}"#,
        #"{"choices":[{"logprobs":{"top_logprobs":[{"B":-2,"A":-2,"C":-0.5e0},null]}}]}"#,
        #"{"choices":[{"text":"x"},{"text":"y","logprobs":{"top_logprobs":[{"Z":-1}]}}]}"#,
    ]

    /// Bodies the decoder rejects, or that the direct reader must leave to it, under the API given (`nil`: both).
    static let declined: [(api: ModelAPI?, text: String)] = [
        (nil, ""),
        (nil, "null"),
        (nil, "[]"),
        (nil, #"{"choices":[]}"#),
        (nil, #"{"choices":null}"#),
        (nil, #"{"object":"error"}"#),
        (nil, #"{"choices":[1]}"#),
        (nil, #"{"choices":[{"finish_reason":1}]}"#),
        (nil, #"{"choices":[{"text":"a","text":"b"}]}"#),
        (nil, #"{"choices":[{"text":"a"}]} trailing"#),
        (nil, #"{"choices":[{"text":"a"}]"#),
        (nil, #"{"choices":[{"text":"\ud800"}]}"#),
        (.chat, #"{"choices":[{"message":"B"}]}"#),
        (.chat, #"{"choices":[{"message":{"content":7}}]}"#),
        (.chat, #"{"choices":[{"logprobs":{"content":[{"logprob":-1}]}}]}"#),
        (.chat, #"{"choices":[{"logprobs":{"content":[{"token":"A","logprob":"-1"}]}}]}"#),
        (.chat, #"{"choices":[{"logprobs":{"content":[{"token":"A","logprob":null}]}}]}"#),
        (.chat, #"{"choices":[{"logprobs":{"content":[{"token":"A","logprob":-1,"top_logprobs":[{"token":"A"}]}]}}]}"#),
        (.chat, #"{"choices":[{"logprobs":{"content":{}}}]}"#),
        (.chat, #"{"choices":[{"message":{"content":"ok"}},{"message":{"content":false}}]}"#),
        (.completions, #"{"choices":[{"text":1}]}"#),
        (.completions, #"{"choices":[{"logprobs":{"top_logprobs":[{"A":"x"}]}}]}"#),
        (.completions, #"{"choices":[{"logprobs":{"top_logprobs":[[]]}}]}"#),
        (.completions, #"{"choices":[{"logprobs":{"top_logprobs":[{"A":1e999}]}}]}"#),
        (.completions, #"{"choices":[{"text":"ok"},{"logprobs":[]}]}"#),
    ]

    /// Both paths give the same response, or the same error text.
    static func check(_ text: String, api: ModelAPI, fastExpected: Bool?) throws {
        let body = Data(text.utf8)
        let fast = OpenAIClient.fastDecodeResponse(body, api: api)
        if let fastExpected { #expect((fast != nil) == fastExpected, "\(api) \(text)") }
        let viaDecoder = Result { try OpenAIClient.foundationDecodeResponse(body, api: api) }
        let public_ = Result { try OpenAIClient.decodeResponse(body, api: api) }
        switch (viaDecoder, public_) {
        case (.success(let expected), .success(let actual)):
            #expect(actual == expected, "\(api) \(text)")
            if let fast { #expect(fast == expected) }
            // Bit for bit, not just ==.
            let bits = { (response: ModelResponse) in response.firstTokenTopLogprobs?.map(\.logprob.bitPattern) }
            #expect(bits(actual) == bits(expected))
        case (.failure(let expected), .failure(let actual)):
            #expect(fast == nil, "\(api) \(text)")
            #expect("\(actual)" == "\(expected)")
        default:
            Issue.record("paths disagree on \(api) \(text): \(viaDecoder) vs \(public_)")
        }
    }

    @Test func wellFormedBodiesDecodeDirectlyToTheDecodersResponse() throws {
        for text in Self.wellFormedChat { try Self.check(text, api: .chat, fastExpected: true) }
        for text in Self.wellFormedCompletion { try Self.check(text, api: .completions, fastExpected: true) }
    }

    @Test func everythingElseIsLeftToTheDecoder() throws {
        for (api, text) in Self.declined {
            for other in [ModelAPI.chat, .completions] {
                // Under its own API the direct reader declines; under the other it may accept: the paths agree.
                try Self.check(text, api: other, fastExpected: api == nil || api == other ? false : nil)
            }
        }
    }

    @Test func everyBodyAgreesUnderTheOtherAPIToo() throws {
        // A chat body read as a completion and the reverse: whatever each path makes of it, they agree.
        for text in Self.wellFormedChat + Self.wellFormedCompletion {
            try Self.check(text, api: .chat, fastExpected: nil)
            try Self.check(text, api: .completions, fastExpected: nil)
        }
    }

    @Test func theBenchmarkBodiesGiveTheExpectedResponses() throws {
        let chat = try OpenAIClient.decodeResponse(Data(Self.chat.utf8), api: .chat)
        #expect(chat.text == "B")
        #expect(chat.finishReason == "stop")
        #expect(chat.firstTokenTopLogprobs?.map(\.token) == ["B", "A", "C", "D"])
        #expect(chat.firstTokenTopLogprobs?.map(\.logprob) == [-0.05, -3.2, -4.1, -4.5])
        let completion = try OpenAIClient.decodeResponse(Data(Self.completion.utf8), api: .completions)
        #expect(completion.text == " B")
        #expect(completion.firstTokenTopLogprobs?.map(\.token) == [" B", " A", " C", " D"])
    }

    @Test func randomLogprobsAreReadBitForBit() throws {
        var generator = SplitMix64(seed: 20_261_123)
        for _ in 0..<500 {
            let value = -Double(generator.next() % 1_000_000_000) / Double(generator.next() % 1000 + 1) * 1e-3
            let text =
                #"{"choices":[{"logprobs":{"content":[{"token":"A","logprob":\#(value),"top_logprobs":[{"token":"A","logprob":\#(value)}]}]}}]}"#
            try Self.check(text, api: .chat, fastExpected: true)
        }
    }
}

/// The tokens a server reports with its answer (`usage`), read for `--max-tokens` and `--max-cost`.
struct OpenAIClientUsageTests {
    @Test func usageIsReadFromBothAPIsAndAnOddOneIsIgnored() throws {
        let completion = FakeOpenAI.completion(text: " A", topLogprobs: [(" A", -0.1)])
        let reply = try OpenAIClient.decodeReply(Data(completion.utf8), api: .completions)
        #expect(reply.usage == TokenUsage(promptTokens: 5, completionTokens: 1))
        let chat = FakeOpenAI.chatCompletion(text: "A", topLogprobs: nil)
        #expect(
            try OpenAIClient.decodeReply(Data(chat.utf8), api: .chat).usage
                == TokenUsage(promptTokens: 5, completionTokens: 1)
        )
        // A usage of the wrong shape leaves the answer intact and the usage unknown, on both decoding paths.
        let odd =
            #"{"choices":[{"index":0,"text":" B","finish_reason":"stop","logprobs":null}],"usage":{"prompt_tokens":"many"}}"#
        let oddReply = try OpenAIClient.decodeReply(Data(odd.utf8), api: .completions)
        #expect(oddReply.response.text == " B")
        #expect(oddReply.usage == nil)
        // `choices[0].text` as a number sends the body to the decoder path, which fails as before.
        let broken = #"{"choices":[{"index":0,"text":3}],"usage":{"prompt_tokens":1,"completion_tokens":1}}"#
        #expect(throws: ModelFailure.self) { try OpenAIClient.decodeReply(Data(broken.utf8), api: .completions) }
    }
}
