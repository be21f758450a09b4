import CultureLensCore
import CultureLensModels
import CultureLensStatistics
import Foundation
import Testing

struct RetryStateMachineTests {
    let noJitter = RetryStateMachine.Configuration(maxAttempts: 4, baseDelay: 0.5, multiplier: 2, maxDelay: 30, jitter: 0)

    @Test func backsOffExponentiallyThenGivesUp() {
        var machine = RetryStateMachine(configuration: noJitter)
        var generator = SplitMix64(seed: 1)
        let failure = ModelFailure(kind: .serverError, detail: "503", status: 503)
        var actions: [RetryStateMachine.Action] = []
        for _ in 0..<4 {
            machine.attemptStarted()
            actions.append(machine.failed(failure, using: &generator))
        }
        #expect(actions == [.retry(afterSeconds: 0.5), .retry(afterSeconds: 1), .retry(afterSeconds: 2), .giveUp])
        #expect(machine.attempts == 4)
    }

    @Test func honoursRetryAfterWhenLonger() {
        var machine = RetryStateMachine(configuration: noJitter)
        var generator = SplitMix64(seed: 1)
        machine.attemptStarted()
        let limited = ModelFailure(kind: .rateLimited, detail: "429", status: 429, retryAfter: 7)
        #expect(machine.failed(limited, using: &generator) == .retry(afterSeconds: 7))
        machine.attemptStarted()
        let short = ModelFailure(kind: .rateLimited, detail: "429", status: 429, retryAfter: 0.1)
        #expect(machine.failed(short, using: &generator) == .retry(afterSeconds: 1))
    }

    @Test func givesUpOnRetryAfterBeyondTheCap() {
        var machine = RetryStateMachine(configuration: noJitter)
        var generator = SplitMix64(seed: 1)
        machine.attemptStarted()
        let failure = ModelFailure(kind: .rateLimited, detail: "429", status: 429, retryAfter: 3600)
        #expect(machine.failed(failure, using: &generator) == .giveUp)
    }

    @Test(arguments: [FailureKind.clientError, .missingLogprobs, .parseFailure, .refusal])
    func doesNotRetryPermanentFailures(kind: FailureKind) {
        var machine = RetryStateMachine(configuration: noJitter)
        var generator = SplitMix64(seed: 1)
        machine.attemptStarted()
        #expect(machine.failed(ModelFailure(kind: kind, detail: "x", status: 400), using: &generator) == .giveUp)
    }

    @Test func jitterStaysInBoundsAndIsSeeded() {
        let configuration = RetryStateMachine.Configuration(maxAttempts: 10, baseDelay: 1, multiplier: 1, jitter: 0.2)
        func delays(seed: UInt64) -> [Double] {
            var machine = RetryStateMachine(configuration: configuration)
            var generator = SplitMix64(seed: seed)
            return (0..<8).map { _ in
                machine.attemptStarted()
                guard case .retry(let seconds) = machine.failed(ModelFailure(kind: .timeout, detail: ""), using: &generator)
                else { return -1 }
                return seconds
            }
        }
        let first = delays(seed: 9)
        #expect(first == delays(seed: 9))
        #expect(first.allSatisfy { (0.8...1.2).contains($0) })
        #expect(Set(first).count > 1)
    }

    @Test func parsesRetryAfterForms() throws {
        #expect(RetryStateMachine.parseRetryAfter("12") == 12)
        #expect(RetryStateMachine.parseRetryAfter("nonsense") == nil)
        let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT
        let seconds = try #require(RetryStateMachine.parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now: now))
        #expect(abs(seconds - 30) < 1e-6)
    }
}
