import CultureLensTesting
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
import CultureLensCore
#endif

// MARK: - Tiny blocking socket client (independent of NIO and URLSession)

private enum RawClientError: Error {
    case socket(String, Int32)
    case timeout
    case malformed(String)
}

/// One parsed HTTP response as seen on the wire.
private struct RawResponse {
    var statusCode: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// `true` if the connection hit EOF before `Content-Length` bytes of body arrived.
    var truncatedByEOF: Bool

    var bodyString: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A blocking TCP connection to 127.0.0.1. Use only from a dedicated thread (see `offThread`).
private final class RawConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var isClosed = false

    /// `receiveTimeoutSeconds` only guards against a hang: no test measures it. It is long because the server answers
    /// from a task on the cooperative pool, which CI's two cores share with every other test starting at once (a
    /// 10 s guard fired there once, on a response that was on its way).
    init(port: Int, receiveTimeoutSeconds: Int = 120) throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw RawClientError.socket("socket", errno) }
        self.fd = fd
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let err = errno
            Glibc_close(fd)
            throw RawClientError.socket("connect", err)
        }
    }

    deinit { close() }

    func close() {
        if !isClosed {
            isClosed = true
            Glibc_close(fd)
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let flags = Int32(MSG_NOSIGNAL)
            #else
            let flags: Int32 = 0
            #endif
            let n = bytes[offset...].withUnsafeBytes { Glibc_send(fd, $0.baseAddress, $0.count, flags) }
            guard n > 0 else { throw RawClientError.socket("send", errno) }
            offset += n
        }
    }

    /// Reads more bytes into the buffer. Returns `false` on EOF (or connection reset).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 { return false }
        let err = errno
        if err == EAGAIN || err == EWOULDBLOCK { throw RawClientError.timeout }
        if err == ECONNRESET { return false }
        throw RawClientError.socket("recv", err)
    }

    /// Reads until EOF and returns everything not yet consumed.
    func readUntilEOF() throws -> [UInt8] {
        while try fill() {}
        defer { buffer = [] }
        return buffer
    }

    /// Reads one `Content-Length`-framed response; tolerates EOF mid-body (see `truncatedByEOF`).
    func readResponse() throws -> RawResponse {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            if let range = firstRange(of: separator, in: buffer) {
                headEnd = range
            } else if try !fill() {
                throw RawClientError.malformed("EOF before end of head (\(buffer.count) bytes)")
            }
        }
        let headText = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + separator.count)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw RawClientError.malformed("status line: \(headText)")
        }
        let headers: [(String, String)] = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (
                String(line[..<colon]),
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
        }
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) } ?? 0
        var eof = false
        while buffer.count < length {
            if try !fill() {
                eof = true
                break
            }
        }
        let bodyCount = min(length, buffer.count)
        let body = Array(buffer[0..<bodyCount])
        buffer.removeFirst(bodyCount)
        return RawResponse(statusCode: status, headers: headers, body: body, truncatedByEOF: eof)
    }

    private func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) {
            return i
        }
        return nil
    }
}

#if canImport(Glibc)
private func Glibc_close(_ fd: Int32) { _ = Glibc.close(fd) }
private func Glibc_send(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int, _ flags: Int32) -> Int { Glibc.send(fd, p, n, flags) }
#else
private func Glibc_close(_ fd: Int32) { _ = Darwin.close(fd) }
private func Glibc_send(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int, _ flags: Int32) -> Int { Darwin.send(fd, p, n, flags) }
#endif

/// Runs blocking socket code on a dedicated thread so it never blocks the cooperative pool
/// (on which the server's handler closures run).
private func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.start()
    }
}

private func request(
    _ path: String, method: String = "GET", body: String = "", extraHeaders: [String] = []
) -> String {
    var lines = ["\(method) \(path) HTTP/1.1", "Host: 127.0.0.1"]
    if method != "GET" || !body.isEmpty { lines.append("Content-Length: \(body.utf8.count)") }
    lines += extraHeaders
    return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
}

private func jsonObject(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(object as? [String: Any])
}

// MARK: - Server tests

@Suite("ScriptedHTTPServer")
struct ScriptedHTTPServerTests {
    @Test func respondRoundTripsBodyAndRecordsRequest() async throws {
        let payload = #"{"ok":true,"text":"héllo \"wörld\"\n"}"#
        let server = try await ScriptedHTTPServer.start { request in
            request.path == "/v1/echo" ? .respond(status: 200, body: payload) : .respond(status: 404, body: "{}")
        }
        #expect(server.port > 0)
        #expect(server.baseURL == "http://127.0.0.1:\(server.port)")
        let port = server.port
        let response = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(
                request("/v1/echo?x=1", method: "POST", body: #"{"prompt":"hi"}"#, extraHeaders: ["Authorization: Bearer k"]))
            return try connection.readResponse()
        }
        #expect(response.statusCode == 200)
        #expect(response.bodyString == payload)
        #expect(response.header("Content-Length") == String(payload.utf8.count))
        #expect(response.header("Content-Type") == "application/json")
        #expect(!response.truncatedByEOF)

        #expect(server.requestCount == 1)
        let recorded = try #require(server.requests.first)
        #expect(recorded.method == "POST")
        #expect(recorded.uri == "/v1/echo?x=1")
        #expect(recorded.path == "/v1/echo")
        #expect(recorded.bodyString == #"{"prompt":"hi"}"#)
        #expect(recorded.header("authorization") == "Bearer k")
        try await server.shutdown()
        try await server.shutdown()  // idempotent
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnectionAndCounts() async throws {
        let server = try await ScriptedHTTPServer.start { request in
            .respond(status: 200, headers: [("Content-Type", "text/plain")], body: "echo:\(request.path)")
        }
        let port = server.port
        let bodies = try await offThread {
            let connection = try RawConnection(port: port)
            var bodies: [String] = []
            for i in 0..<3 {
                try connection.send(request("/r\(i)"))
                bodies.append(try connection.readResponse().bodyString)
            }
            // Pipelined: two requests in one write, answered in order.
            try connection.send(request("/p1") + request("/p2"))
            bodies.append(try connection.readResponse().bodyString)
            bodies.append(try connection.readResponse().bodyString)
            return bodies
        }
        #expect(bodies == ["echo:/r0", "echo:/r1", "echo:/r2", "echo:/p1", "echo:/p2"])
        #expect(server.requestCount == 5)

        // A second connection keeps counting.
        _ = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(request("/again"))
            return try connection.readResponse().statusCode
        }
        #expect(server.requestCount == 6)
        try await server.shutdown()
    }

    @Test func connectionCloseRequestIsHonoured() async throws {
        try await ScriptedHTTPServer.withServer(handler: { _ in .respond(status: 201, body: "{}") }) { server in
            let port = server.port
            let (response, rest) = try await offThread {
                let connection = try RawConnection(port: port)
                try connection.send(request("/x", extraHeaders: ["Connection: close"]))
                let response = try connection.readResponse()
                return (response, try connection.readUntilEOF())
            }
            #expect(response.statusCode == 201)
            #expect(response.header("Connection")?.lowercased() == "close")
            #expect(rest.isEmpty)
        }
    }

    @Test func chunkedRequestBodyIsReassembled() async throws {
        try await ScriptedHTTPServer.withServer(handler: { request in
            .respond(status: 200, body: request.bodyString)
        }) { server in
            let port = server.port
            let response = try await offThread {
                let connection = try RawConnection(port: port)
                try connection.send(
                    "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
                return try connection.readResponse()
            }
            #expect(response.bodyString == "hello world")
            #expect(server.requests.first?.body == Array("hello world".utf8))
        }
    }

    @Test func delayActuallyDelays() async throws {
        let server = try await ScriptedHTTPServer.start { _ in
            .delay(.milliseconds(400), then: .respond(status: 200, body: #"{"late":true}"#))
        }
        let port = server.port
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(request("/slow"))
            return try connection.readResponse()
        }
        let elapsed = clock.now - start
        #expect(elapsed >= .milliseconds(400))
        #expect(response.statusCode == 200)
        #expect(response.bodyString == #"{"late":true}"#)
        try await server.shutdown()
    }

    @Test func nestedDelayThenReset() async throws {
        let server = try await ScriptedHTTPServer.start { _ in
            .delay(.milliseconds(100), then: .delay(.milliseconds(100), then: .reset))
        }
        let port = server.port
        let clock = ContinuousClock()
        let start = clock.now
        let bytes = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(request("/x"))
            return try connection.readUntilEOF()
        }
        #expect(clock.now - start >= .milliseconds(200))
        #expect(bytes.isEmpty)
        try await server.shutdown()
    }

    @Test func truncatedSendsFewerBytesThanContentLengthThenEOF() async throws {
        let body = FakeOpenAI.completion(text: " Paris", topLogprobs: [(" Paris", -0.1), (" Lyon", -2.5)])
        let server = try await ScriptedHTTPServer.start { _ in
            .truncated(status: 200, body: body, sendBytes: 10)
        }
        let port = server.port
        let (response, rest) = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(request("/v1/completions", method: "POST", body: "{}"))
            let response = try connection.readResponse()
            return (response, try connection.readUntilEOF())
        }
        #expect(response.statusCode == 200)
        #expect(response.header("Content-Length") == String(body.utf8.count))
        #expect(response.body == Array(body.utf8.prefix(10)))
        #expect(response.truncatedByEOF)
        #expect(rest.isEmpty)
        try await server.shutdown()
    }

    @Test func truncatedWithZeroBytesSendsOnlyTheHead() async throws {
        try await ScriptedHTTPServer.withServer(handler: { _ in
            .truncated(status: 200, body: "0123456789", sendBytes: 0)
        }) { server in
            let port = server.port
            let response = try await offThread {
                let connection = try RawConnection(port: port)
                try connection.send(request("/x"))
                return try connection.readResponse()
            }
            #expect(response.header("Content-Length") == "10")
            #expect(response.body.isEmpty)
            #expect(response.truncatedByEOF)
        }
    }

    @Test func resetClosesWithoutAnyBytes() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .reset }
        let port = server.port
        let bytes = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(request("/v1/chat/completions", method: "POST", body: "{}"))
            return try connection.readUntilEOF()
        }
        #expect(bytes.isEmpty)
        #expect(server.requestCount == 1)
        try await server.shutdown()
    }

    @Test func scriptedSequenceAcrossRetries() async throws {
        // Typical fault-injection script: fail, fail, succeed – keyed by request count.
        let counter = Counter()
        let server = try await ScriptedHTTPServer.start { _ in
            switch counter.next() {
            case 0: return .reset
            case 1: return .respond(status: 503, body: FakeOpenAI.error(message: "overloaded", type: "server_error"))
            default: return .respond(status: 200, body: FakeOpenAI.models(ids: ["m"]))
            }
        }
        let port = server.port
        let statuses = try await offThread {
            var statuses: [Int] = []
            let first = try RawConnection(port: port)
            try first.send(request("/v1/models"))
            #expect(try first.readUntilEOF().isEmpty)
            let second = try RawConnection(port: port)
            try second.send(request("/v1/models"))
            statuses.append(try second.readResponse().statusCode)
            try second.send(request("/v1/models"))  // same keep-alive connection
            statuses.append(try second.readResponse().statusCode)
            return statuses
        }
        #expect(statuses == [503, 200])
        #expect(server.requestCount == 3)
        try await server.shutdown()
    }

    @Test func clientDisconnectDuringDelayDoesNotCrashAndShutdownIsPrompt() async throws {
        let server = try await ScriptedHTTPServer.start { request in
            request.path == "/slow"
                ? .delay(.seconds(30), then: .respond(status: 200, body: "{}"))
                : .respond(status: 200, body: #"{"fast":true}"#)
        }
        let port = server.port
        try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(request("/slow"))
            connection.close()
        }
        // Give the server a moment to notice the disconnect, then make sure it still serves.
        try await Task.sleep(for: .milliseconds(100))
        let response = try await offThread {
            let connection = try RawConnection(port: port)
            try connection.send(request("/fast"))
            return try connection.readResponse()
        }
        #expect(response.bodyString == #"{"fast":true}"#)

        // A request still sleeping on an open connection must not block shutdown for 30 s.
        let pending = try await offThread { () -> SendableBox<RawConnection> in
            let connection = try RawConnection(port: port)
            try connection.send(request("/slow"))
            return SendableBox(connection)
        }
        while server.requestCount < 3 { try await Task.sleep(for: .milliseconds(10)) }
        let clock = ContinuousClock()
        let start = clock.now
        try await server.shutdown()
        // Far below the 30 s sleep, far above what a loaded CI machine needs.
        #expect(clock.now - start < .seconds(20))
        // The client of the dropped request sees the connection closed without a response.
        let rest = try await offThread { try pending.value.readUntilEOF() }
        #expect(rest.isEmpty)
    }

    @Test func shutdownClosesIdleKeepAliveConnections() async throws {
        let server = try await ScriptedHTTPServer.start { _ in .respond(status: 200, body: "{}") }
        let port = server.port
        let connection = try await offThread { () -> SendableBox<RawConnection> in
            let connection = try RawConnection(port: port)
            try connection.send(request("/x"))
            _ = try connection.readResponse()
            return SendableBox(connection)
        }
        try await server.shutdown()
        let rest = try await offThread { try connection.value.readUntilEOF() }
        #expect(rest.isEmpty)
    }
}

/// Thread-safe counter for handler scripts.
private final class Counter: Sendable {
    private let value = Mutex(0)
    func next() -> Int { value.withLock { v in defer { v += 1 }; return v } }
}

/// Moves a connection between the test task and the worker threads. The connection is only
/// ever used by one thread at a time (strictly sequential hand-offs), hence `@unchecked`.
private final class SendableBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

// MARK: - FakeOpenAI tests

extension ScriptedHTTPServerTests {
    /// Nested so that `--filter ScriptedHTTPServerTests` also runs these.
    @Suite("FakeOpenAI")
    struct FakeOpenAIBodies {
        @Test func completionWithLogprobs() throws {
            let text = "Tokyo \"quoted\"\n"
            let json = try jsonObject(
                FakeOpenAI.completion(text: text, topLogprobs: [("Tokyo", -0.25), (text, -0.5), ("Ōsaka", -3.0)]))
            #expect(json["object"] as? String == "text_completion")
            #expect(json["id"] is String)
            #expect(json["created"] is Int)
            #expect(json["model"] as? String == "fake-model")
            let usage = try #require(json["usage"] as? [String: Any])
            #expect(usage["total_tokens"] as? Int != nil)
            let choices = try #require(json["choices"] as? [[String: Any]])
            #expect(choices.count == 1)
            let choice = choices[0]
            #expect(choice["index"] as? Int == 0)
            #expect(choice["text"] as? String == text)
            #expect(choice["finish_reason"] as? String == "length")
            let logprobs = try #require(choice["logprobs"] as? [String: Any])
            #expect(logprobs["tokens"] as? [String] == [text])
            #expect(logprobs["token_logprobs"] as? [Double] == [-0.5])
            #expect(logprobs["text_offset"] as? [Int] == [0])
            let top = try #require(logprobs["top_logprobs"] as? [[String: Double]])
            #expect(top == [["Tokyo": -0.25, text: -0.5, "Ōsaka": -3.0]])
        }

        @Test func completionWithoutLogprobsHasExplicitNull() throws {
            let raw = FakeOpenAI.completion(text: "x", topLogprobs: nil)
            #expect(raw.contains(#""logprobs":null"#))
            let json = try jsonObject(raw)
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            #expect(choice["logprobs"] is NSNull)
            #expect(choice["text"] as? String == "x")
        }

        @Test func completionMapsNonFiniteLogprobs() throws {
            let json = try jsonObject(FakeOpenAI.completion(text: "a", topLogprobs: [("a", -.infinity)]))
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            let logprobs = try #require(choice["logprobs"] as? [String: Any])
            #expect(logprobs["token_logprobs"] as? [Double] == [-9999.0])
        }

        @Test func chatCompletionWithLogprobs() throws {
            let json = try jsonObject(
                FakeOpenAI.chatCompletion(text: "Yes", topLogprobs: [("Yes", -0.1), ("No", -2.4), ("é", -5)], model: "m1"))
            #expect(json["object"] as? String == "chat.completion")
            #expect(json["model"] as? String == "m1")
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            #expect(choice["index"] as? Int == 0)
            #expect(choice["finish_reason"] as? String == "length")
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            #expect(message["content"] as? String == "Yes")
            let logprobs = try #require(choice["logprobs"] as? [String: Any])
            let content = try #require(logprobs["content"] as? [[String: Any]])
            #expect(content.count == 1)
            #expect(content[0]["token"] as? String == "Yes")
            #expect(content[0]["logprob"] as? Double == -0.1)
            #expect(content[0]["bytes"] as? [Int] == [89, 101, 115])
            let top = try #require(content[0]["top_logprobs"] as? [[String: Any]])
            #expect(top.map { $0["token"] as? String } == ["Yes", "No", "é"])
            #expect(top.map { $0["logprob"] as? Double } == [-0.1, -2.4, -5])
            #expect(top[2]["bytes"] as? [Int] == [0xC3, 0xA9])
        }

        @Test func chatCompletionWithoutLogprobs() throws {
            let json = try jsonObject(FakeOpenAI.chatCompletion(text: "hi", topLogprobs: nil))
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            #expect(choice["logprobs"] is NSNull)
            #expect((choice["message"] as? [String: Any])?["content"] as? String == "hi")
        }

        @Test func modelsList() throws {
            let json = try jsonObject(FakeOpenAI.models(ids: ["gpt-x", "llama/3"]))
            #expect(json["object"] as? String == "list")
            let data = try #require(json["data"] as? [[String: Any]])
            #expect(data.map { $0["id"] as? String } == ["gpt-x", "llama/3"])
            #expect(data.allSatisfy { $0["object"] as? String == "model" && $0["owned_by"] is String })
        }

        @Test func errorBody() throws {
            let json = try jsonObject(FakeOpenAI.error(message: "rate limited", type: "rate_limit_error", code: "429"))
            let error = try #require(json["error"] as? [String: Any])
            #expect(error["message"] as? String == "rate limited")
            #expect(error["type"] as? String == "rate_limit_error")
            #expect(error["code"] as? String == "429")
            #expect(error["param"] is NSNull)
        }
    }
}
