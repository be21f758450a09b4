import CultureLensFormats
public import Foundation

extension ResultsDocument {
    /// The `samples.jsonl` line of `sample` (without its line feed): every key present, absent values as explicit
    /// nulls (``ReportSample/Line``); `encoder` is ``encoder(pretty:)`` without pretty printing.
    static func sampleLine(_ sample: ReportSample, encoder: JSONEncoder) throws -> Data {
        try encoder.encode(ReportSample.Line(sample: sample))
    }

    /// Decodes `samples.jsonl` at `url` line by line (blank lines are skipped): the first `fullLimit` samples in
    /// full (all without a limit), and with a limit the digests of all of them.
    /// - Throws: ``ReportLoadError`` naming the file and line.
    static func readSamples(_ url: URL, fullLimit: Int?) throws -> ([ReportSample], [ReportSample.Digest]?) {
        let reader: JSONLReader
        do {
            reader = try JSONLReader(url: url)
        } catch {
            throw ReportLoadError(path: url.path, line: nil, message: "cannot read: \(error.localizedDescription)")
        }
        let decoder = Self.decoder()
        var samples: [ReportSample] = []
        var digests: [ReportSample.Digest]? = fullLimit == nil ? nil : []
        while true {
            let record: (line: Int, content: Data)?
            do {
                record = try reader.nextRecord()
            } catch {
                throw ReportLoadError(path: url.path, line: nil, message: "cannot read: \(error.localizedDescription)")
            }
            guard let (line, content) = record else { break }
            do {
                if let fullLimit, samples.count >= fullLimit {
                    digests?.append(try decoder.decode(ReportSample.Digest.self, from: content))
                } else {
                    let sample = try decoder.decode(ReportSample.self, from: content)
                    samples.append(sample)
                    digests?.append(sample.digest)
                }
            } catch {
                throw ReportLoadError(path: url.path, line: line, message: describe(error))
            }
        }
        return (samples, digests)
    }

    /// Decodes `samples.jsonl` held in memory (blank lines are skipped).
    /// - Throws: ``ReportLoadError`` naming `path` and the line.
    public static func decodeSamples(_ data: Data, path: String = samplesFileName) throws -> [ReportSample] {
        let decoder = Self.decoder()
        return try JSONLReader.lines(of: data).map { line, content in
            do {
                return try decoder.decode(ReportSample.self, from: content)
            } catch {
                throw ReportLoadError(path: path, line: line, message: describe(error))
            }
        }
    }
}
