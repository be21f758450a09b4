/// The official files of the datasets CultureLens knows, by dataset name (`culturelens datasets list`).
///
/// Repo ids and paths follow `docs/benchmarks.md` (the research notes in `../shared/docs/benchmarks.md`).
/// **None of these is pinned yet:** the notes give no Hub commit ids or sha256 sums, so every file uses revision
/// `main` and `sha256: nil`, which means the content can change under us (NormAd's neutral rows and
/// CulturalBench's history both have) and downloads are not verified. The dataset spec files (issue 3, part 1)
/// will pin a commit and a sha256 for each file and replace this table.
public enum DatasetRegistry {
    /// Dataset name → its files.
    public static var files: [String: [DatasetFile]] {
        [
            // CulturalBench (Chiu et al.): Hub only, CC-BY-4.0. Earlier Hub history of this repo held a different
            // dataset (CulturalTeaming), so pinning matters here. Not pinned yet: revision main, no sha256.
            "culturalbench": [
                DatasetFile(repo: "kellycyy/CulturalBench", revision: "main", path: "CulturalBench-Easy.csv"),
                DatasetFile(repo: "kellycyy/CulturalBench", revision: "main", path: "CulturalBench-Hard.csv"),
            ],
            // NormAd-Eti (Rao et al.): CC-BY-4.0, 4.62 MB. A v2 with regenerated neutral rows is in preparation.
            // Not pinned yet: revision main, no sha256.
            "normad": [
                DatasetFile(repo: "akhilayerukola/NormAd", revision: "main", path: "normad_etiquette_final_data.csv")
            ],
            // GlobalOpinionQA (Durmus et al.): CC-BY-NC-SA-4.0 (non-commercial), 4.69 MB; download on demand only.
            // Not pinned yet: revision main, no sha256.
            "globalopinionqa": [
                DatasetFile(repo: "Anthropic/llm_global_opinions", revision: "main", path: "data/global_opinions.csv")
            ],
            // BLEnD (Myung et al.): CC-BY-SA-4.0. Only the MCQ file's Hub path is documented in benchmarks.md; the
            // short-answer questions and annotations are used from a local copy (`--data ../shared/data/blend`)
            // until a spec lists their Hub paths. Not pinned yet: revision main, no sha256.
            "blend": [
                DatasetFile(
                    repo: "nayeon212/BLEnD",
                    revision: "main",
                    path: "data/mc_questions_hf/mc_questions_file.json"
                )
            ],
            // CIVICS (Pistilli et al.): CC-BY-4.0, 794 kB, the JSON version (benchmarks.md §6: the official Hub repo
            // is CIVICS-dataset/CIVICS; the gated mirror llm-values/CIVICS adds a no-training condition).
            // Not pinned yet: revision main, no sha256.
            "civics": [
                DatasetFile(repo: "CIVICS-dataset/CIVICS", revision: "main", path: "civics_dataset.json")
            ],
            // Global-MMLU (Singh et al.): Apache-2.0. benchmarks.md does not cover it; the layout
            // `{lang}/test-00000-of-00001.parquet` is the Hub repo's file listing (read by `ParquetReader`).
            // Only English is listed here. Not pinned yet: revision main, no sha256.
            "global-mmlu": [
                DatasetFile(repo: "CohereForAI/Global-MMLU", revision: "main", path: "en/test-00000-of-00001.parquet")
            ],
        ]
    }

    /// Dataset name → licence, as the dataset cards state it.
    public static var licences: [String: String] {
        [
            "culturalbench": "CC-BY-4.0",
            "normad": "CC-BY-4.0",
            "globalopinionqa": "CC-BY-NC-SA-4.0",
            "blend": "CC-BY-SA-4.0",
            "civics": "CC-BY-4.0",
            "global-mmlu": "Apache-2.0",
        ]
    }

    /// The dataset names, sorted.
    public static var names: [String] { files.keys.sorted() }

    /// The name of the dataset `file` belongs to (same repo and path, any revision).
    public static func name(of file: DatasetFile) -> String? {
        names.first { name in
            files[name]?.contains { $0.repo == file.repo && $0.path == file.path } ?? false
        }
    }
}
