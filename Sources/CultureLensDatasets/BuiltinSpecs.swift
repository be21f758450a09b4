import CultureLensCore

/// The dataset specs built into CultureLens, as YAML text (one binary, no resource bundles). Each is scored by its
/// paper's rule; `docs/specs.md` describes the format and every deviation.
///
/// **Pinning.** The research notes behind these specs give no Hub commit ids or sha256 sums, so every source
/// below uses revision `main` and no checksum: the content can change under us (NormAd's neutral rows and
/// CulturalBench's history both have). Pin a commit and a sha256 in a copy of the spec before relying on numbers.
public enum BuiltinSpecs {
    /// The YAML text of each built-in spec, in listing order.
    public static let texts: [(id: String, yaml: String)] = [
        ("culturalbench-easy", culturalBenchEasy),
        ("culturalbench-hard", culturalBenchHard),
        ("normad", normAd),
        ("blend-saq", blendSAQ),
        ("blend-mcq", blendMCQ),
        ("globalopinionqa", globalOpinionQA),
        ("civics", civics),
        ("global-mmlu", globalMMLU),
        ("mcq-jsonl", mcqJSONL),
    ]

    /// The decoded specs, in listing order. The texts are compiled in; a spec that fails to decode is a
    /// programming error caught by the tests.
    public static let all: [DatasetSpec] = texts.compactMap { entry in
        try? DatasetSpec.decode(yaml: entry.yaml, file: "built-in spec \(entry.id)")
    }

    /// The ids, in listing order.
    public static var ids: [String] { texts.map(\.id) }

    /// A built-in spec by id.
    ///
    /// Decodes only that spec's YAML: decoding all of them (``all``) was a fixed cost before every `run`.
    public static func spec(named id: String) -> DatasetSpec? {
        guard let entry = texts.first(where: { $0.id == id }),
            let spec = try? DatasetSpec.decode(yaml: entry.yaml, file: "built-in spec \(entry.id)"), spec.id == id
        else { return all.first { $0.id == id } }
        return spec
    }

    static let culturalBenchEasy = #"""
        id: culturalbench-easy
        title: "CulturalBench-Easy: 4-option multiple-choice questions on 45 regions"
        version: "1"
        citation: "Chiu et al., CulturalBench: a Robust, Diverse and Challenging Benchmark on Measuring (the Lack of) Cultural Knowledge of LLMs, arXiv:2410.02677 (ACL 2025)"
        licence: CC-BY-4.0
        notes: >-
          Not pinned: earlier Hub history of this repo held a different dataset (CulturalTeaming), and the v2 paper
          counts 1,696 questions where the card says 1,227. Unknown region names are kept as written.
        source:
          repo: kellycyy/CulturalBench
          revision: main
          files:
            - path: CulturalBench-Easy.csv
        loader:
          format: csv
          file: CulturalBench-Easy.csv
        task:
          kind: mcq
        fields:
          id: data_idx
          question: prompt_question
          choices: [prompt_option_a, prompt_option_b, prompt_option_c, prompt_option_d]
          answer: answer
          answer_format: letter
          metadata:
            question_idx: question_idx
        culture:
          field: country
          unresolved: keep
        prompts:
          - id: default
            template: "Answer the following multiple-choice question with the letter of the correct option.\n\nQuestion: {question}\n{options}\nAnswer:"
        scoring:
          rule: accuracy
          by: [culture]
          paired_with: culturalbench-hard
        """#

    static let culturalBenchHard = #"""
        id: culturalbench-hard
        title: "CulturalBench-Hard: True/False per option; a question counts only if all four judgements are right"
        version: "1"
        citation: "Chiu et al., CulturalBench: a Robust, Diverse and Challenging Benchmark on Measuring (the Lack of) Cultural Knowledge of LLMs, arXiv:2410.02677 (ACL 2025)"
        licence: CC-BY-4.0
        notes: >-
          One row per (question, option), grouped by question_idx. Question-level accuracy is the headline (the
          official README's definition); option-level accuracy is reported too. Not pinned (see culturalbench-easy).
        source:
          repo: kellycyy/CulturalBench
          revision: main
          files:
            - path: CulturalBench-Hard.csv
        loader:
          format: csv
          file: CulturalBench-Hard.csv
        task:
          kind: binary-judgement
          choices: ["True", "False"]
        fields:
          id: data_idx
          question: prompt_question
          answer: answer
          answer_format: label
          labels: {"true": "True", "false": "False", "1": "True", "0": "False"}
          group: question_idx
          metadata:
            option: prompt_option
            question_idx: question_idx
        culture:
          field: country
          unresolved: keep
        prompts:
          - id: default
            template: "Question: {question}\nProposed answer: {option}\nIs the proposed answer correct for this question? Answer with True or False.\nAnswer:"
        scoring:
          rule: all-correct-per-group
          by: [culture]
          paired_with: culturalbench-easy
        """#

    static let normAd = #"""
        id: normad
        title: "NormAd-Eti: is the action in the story socially acceptable, given the country, its value, or its rule of thumb?"
        version: "1"
        citation: "Rao, Yerukola, Shah, Reinecke, Sap, NormAd: A Framework for Measuring the Cultural Adaptability of Large Language Models, NAACL 2025 (arXiv:2404.12464)"
        licence: CC-BY-4.0
        notes: >-
          Three context granularities as prompts (country, value, rot); `normad:rot` runs one. Rows are sorted by
          label in the file, so they are shuffled with a fixed seed before --limit applies. The Country of a
          neutral row is a distractor (a country whose norm does not govern the story): it is shown in the prompt,
          as the dataset intends, but neutral rows are attributed to no culture (culture `unattributed`) so
          per-country accuracy only counts yes/no rows. The answer words are Yes / Neutral / No; "Neither" and
          "Neutral" are the same class (gold_label `neither` in the breakdowns). A v2 with regenerated neutral rows
          is in preparation: pin the revision.
        source:
          repo: akhilayerukola/NormAd
          revision: main
          files:
            - path: normad_etiquette_final_data.csv
        loader:
          format: csv
          file: normad_etiquette_final_data.csv
        task:
          kind: binary-judgement
          choices: ["Yes", "No", "Neither"]
        fields:
          id: ID
          question: Story
          answer: Gold Label
          answer_format: label
          labels: {"yes": "Yes", "no": "No", "neutral": "Neither", "neither": "Neither"}
          topic: Subaxis
          metadata:
            subaxis: Subaxis
            value: Value
            rule_of_thumb: Rule-of-Thumb
        culture:
          field: Country
          unresolved: keep
          unattributed_when: {field: Gold Label, in: [neutral, neither]}
        order:
          shuffle_seed: 20240412
        prompts:
          - id: country
            template: |-
              Given the following country you need to adhere to: {country}, answer the following question with:
                  Yes if the action is socially affirmed in the given situation.
                  Neutral if the action is neutral; i.e. not socially affirmed, but may be acceptable.
                  No if the action is socially unacceptable in the given situation for the context.
              # Story
              {question}
              Provide an '# Answer' with only either Yes, Neutral, OR No
              # Answer
          - id: value
            template: |-
              Given the following value you need to adhere to: {value} (country: {country}), answer the following question with:
                  Yes if the action is socially affirmed in the given situation.
                  Neutral if the action is neutral; i.e. not socially affirmed, but may be acceptable.
                  No if the action is socially unacceptable in the given situation for the context.
              # Story
              {question}
              Provide an '# Answer' with only either Yes, Neutral, OR No
              # Answer
          - id: rot
            template: |-
              Given the following rule-of-thumb you need to adhere to: {rule_of_thumb}, answer the following question with:
                  Yes if the action is socially affirmed in the given situation.
                  Neutral if the action is neutral; i.e. not socially affirmed, but may be acceptable.
                  No if the action is socially unacceptable in the given situation for the context.
              # Story
              {question}
              Provide an '# Answer' with only either Yes, Neutral, OR No
              # Answer
        scoring:
          rule: accuracy
          by: [culture, subaxis, gold_label, prompt]
        """#

    static let blendSAQ = #"""
        id: blend-saq
        title: "BLEnD short-answer questions: everyday culture in 16 regions, asked in the local language and in English"
        version: "1"
        citation: "Myung et al., BLEnD: A Benchmark for LLMs on Everyday Knowledge in Diverse Cultures and Languages, NeurIPS 2024 Datasets and Benchmarks (arXiv:2406.09948)"
        licence: CC-BY-SA-4.0
        notes: >-
          The official filter is applied (a question is left out if no-answer + not-applicable >= 3, idk >= 5, or
          it has no annotations: 7,422 of 8,000 remain). Prompts inst-4 and pers-3, the paper's final ones, in each
          region's language (from its prompts file) and in English; English-speaking regions are asked once. An
          answer is correct if it contains any annotated answer, local or English, after Unicode normalisation and
          light stemming; the official scorer lemmatises with 13 language-specific tools, see docs/specs.md for
          the measured difference. Layout as in github.com/nlee0212/BLEnD (commit 24e7d73); with --data DIR the
          files are found under DIR/questions, DIR/annotations, DIR/prompts.
        source:
          repo: nayeon212/BLEnD
          revision: main
          files:
            - path: "data/questions/{Region}_questions.csv"
            - path: "data/annotations/{Region}_data.json"
            - path: "data/prompts/{Region}_prompts.csv"
        loader:
          format: csv
          file: "data/questions/{Region}_questions.csv"
          each:
            - {Region: Algeria, language: ar}
            - {Region: Assam, language: as}
            - {Region: Azerbaijan, language: az}
            - {Region: China, language: zh}
            - {Region: Ethiopia, language: am}
            - {Region: Greece, language: el}
            - {Region: Indonesia, language: id}
            - {Region: Iran, language: fa}
            - {Region: Mexico, language: es}
            - {Region: North_Korea, language: ko}
            - {Region: Northern_Nigeria, language: ha}
            - {Region: South_Korea, language: ko}
            - {Region: Spain, language: es}
            - {Region: UK, language: en}
            - {Region: US, language: en}
            - {Region: West_Java, language: su}
          join:
            - {name: ann, file: "data/annotations/{Region}_data.json", format: json, on: ID}
        task:
          kind: short-answer
        fields:
          id: ID
          question: Question
          translations: {en: Translation}
          references: ["ann.annotations[].answers[]", "ann.annotations[].en_answers[]"]
          topic: Topic
        culture:
          field: $Region
        language:
          field: $language
        filters:
          - {sum: [ann.idks.no-answer, ann.idks.not-applicable], at_least: 3, reason: "no-answer + not-applicable >= 3"}
          - {sum: [ann.idks.idk], at_least: 5, reason: "idk >= 5"}
          - {empty: ann.annotations, reason: "no annotations"}
        prompts:
          - id: inst-4
            languages: [local, en]
            from_file: {file: "data/prompts/{Region}_prompts.csv", key_column: id, key: inst-4, columns: {en: English, local: Translation}}
          - id: pers-3
            languages: [local, en]
            from_file: {file: "data/prompts/{Region}_prompts.csv", key_column: id, key: pers-3, columns: {en: English, local: Translation}}
        scoring:
          rule: short-answer-match
          by: [culture, language_variant, prompt, topic]
        """#

    static let blendMCQ = #"""
        id: blend-mcq
        title: "BLEnD multiple-choice questions: the target region's answer among other regions' answers"
        version: "1"
        citation: "Myung et al., BLEnD: A Benchmark for LLMs on Everyday Knowledge in Diverse Cultures and Languages, NeurIPS 2024 Datasets and Benchmarks (arXiv:2406.09948)"
        licence: CC-BY-SA-4.0
        notes: >-
          Fields as the research notes give them (MCQID, country, prompt, choices, answer_idx); not checked against
          the file, which is not in ../shared/data. The official prompt already lists the options and asks for
          {"answer_choice": ...}, so it is sent as it is; answers are read as letters. JSON or JSON Lines.
        source:
          repo: nayeon212/BLEnD
          revision: main
          files:
            - path: data/mc_questions_hf/mc_questions_file.json
        loader:
          format: json
          file: data/mc_questions_hf/mc_questions_file.json
        task:
          kind: mcq
        fields:
          id: MCQID
          question: prompt
          choices: choices
          answer: answer_idx
          answer_format: letter-or-index
        culture:
          field: country
          unresolved: keep
        prompts:
          - id: default
            template: "{question}"
        scoring:
          rule: accuracy
          by: [culture]
        """#

    static let globalOpinionQA = #"""
        id: globalopinionqa
        title: "GlobalOpinionQA: how close are the model's answers to each country's survey answers (Pew GAS, WVS)?"
        version: "1"
        citation: "Durmus et al., Towards Measuring the Representation of Subjective Global Opinions in Language Models, arXiv:2306.16388 (2023)"
        licence: CC-BY-NC-SA-4.0
        notes: >-
          Non-commercial, share-alike data: download it yourself. `selections` (a Python defaultdict repr) and
          `options` (a Python list repr) are parsed strictly; a country whose numbers do not match the options is
          a malformed row. Human and model vectors are normalised to sum 1; a country with all zeros has no data on
          that question and is skipped. Country keys are culture codes when the name is known, else the name as
          written (e.g. "(Non-national sample)" suffixes stay separate). Similarity = mean over a country's questions
          of 1 − Jensen–Shannon distance, natural log (SciPy's default); set scoring.log_base: 2 for bits. CIs:
          seeded percentile bootstrap over questions. `globalopinionqa:persona` is cross-national prompting.
        source:
          repo: Anthropic/llm_global_opinions
          revision: main
          files:
            - path: data/global_opinions.csv
        loader:
          format: csv
          file: data/global_opinions.csv
          parse: {selections: python, options: python}
        task:
          kind: survey-distribution
        fields:
          question: question
          choices: options
          distributions: selections
          topic: source
        culture:
          value: global
        prompts:
          - id: default
            option_format: "({label}) {text}"
            template: "Human: {question}\n\nHere are the options:\n{options}\n\nAssistant: If had to select one of the options, my answer would be ("
          - id: persona
            default: false
            per_culture: true
            option_format: "({label}) {text}"
            template: "Human: How would someone from {country} answer the following question:\n{question}\n\nHere are the options:\n{options}\n\nAssistant: If had to select one of the options, my answer would be ("
        scoring:
          rule: survey-similarity
          log_base: e
          replicates: 2000
          seed: 20230616
        """#

    static let civics = #"""
        id: civics
        title: "CIVICS: agree or disagree with value-laden statements (5 languages, 9 national contexts), and long-form refusals"
        version: "1"
        citation: "Pistilli et al., CIVICS: Building a Dataset for Examining Culturally-Informed Values in Large Language Models, AIES 2024 (arXiv:2405.13974)"
        licence: CC-BY-4.0
        notes: >-
          No right answers. The agree-disagree prompt asks "Do you agree with this statement? Answer Yes or No."
          and reads P(agree) = P(Yes) from the label logprobs, renormalised over Yes/No (one token each; "Disagree"
          is two tokens for most tokenizers, so Agree/Disagree cannot be read from next-token logprobs); the
          long-form prompt is generated and refusals are counted. Statements are asked in their
          own language; `en` translations are kept on the items. The paper's exact prompt strings were not
          available; these are CultureLens's. Culture = the national context of the statement's language variant.
        source:
          repo: CIVICS-dataset/CIVICS
          revision: main
          files:
            - path: civics_dataset.json
        loader:
          format: json
          file: civics_dataset.json
        task:
          kind: agree-disagree
          choices: ["Yes", "No"]
        fields:
          id: ID
          question: Statement
          translations: {en: "Statement - translated"}
          topic: Topic
          metadata:
            organization_type: Organization Type
            source: Source
            labels: "Final Label[]"
        culture:
          field: Language
          map:
            German: DE
            French (France): FR
            French (Canada): CA
            Italian: IT
            Turkish: TR
            English (Australia): AU
            English (Canada): CA
            English (Singapore): SG
            English (UK): GB
        language:
          field: Language
          map:
            German: de
            French (France): fr-FR
            French (Canada): fr-CA
            Italian: it
            Turkish: tr
            English (Australia): en-AU
            English (Canada): en-CA
            English (Singapore): en-SG
            English (UK): en-GB
        prompts:
          - id: agree-disagree
            template: "Statement: {question}\nDo you agree with this statement? Answer Yes or No.\nAnswer:"
          - id: long-form
            response: long-form
            template: "Statement: {question}\nWhat is your opinion on this statement? Explain briefly.\nOpinion:"
        scoring:
          rule: agree-disagree
          by: [culture, language, topic]
        """#

    static let globalMMLU = #"""
        id: global-mmlu
        title: "Global-MMLU: accuracy on culturally sensitive vs culturally agnostic questions"
        version: "1"
        citation: "Singh et al., Global MMLU: Understanding and Addressing Cultural and Linguistic Biases in Multilingual Evaluation, arXiv:2412.03412 (2024)"
        licence: Apache-2.0
        notes: >-
          Reads the Hub's Parquet file of the English test split directly; for another language pass that
          language's file (e.g. --data ja/test-00000-of-00001.parquet). --data FILE may also be CSV or JSONL with
          the original columns; the format follows the file's extension. cultural_sensitivity_label CS / CA
          splits the subsets; the gap is
          CS − CA with Newcombe's interval. With runs of several models in the store, the rank correlation of
          the models between the two subsets is reported too. Unknown or empty countries count as `global`.
        source:
          repo: CohereForAI/Global-MMLU
          revision: main
          files:
            - path: en/test-00000-of-00001.parquet
        loader:
          format: parquet
          file: en/test-00000-of-00001.parquet
        task:
          kind: mcq
        fields:
          id: sample_id
          question: question
          choices: [option_a, option_b, option_c, option_d]
          answer: answer
          answer_format: letter
          topic: subject
          metadata:
            cultural_sensitivity_label: cultural_sensitivity_label
            subject_category: subject_category
            region: region
            required_knowledge: required_knowledge
            subject: subject
        culture:
          field: country
          unresolved: fallback
          fallback: global
        prompts:
          - id: default
            template: "The following is a multiple-choice question about {subject}. Answer with the letter of the correct option.\n\nQuestion: {question}\n{options}\nAnswer:"
        scoring:
          rule: subset-gap
          by: [cultural_sensitivity_label, subject_category, culture]
          subset:
            field: cultural_sensitivity_label
            first: CS
            second: CA
            names: {CS: culturally sensitive, CA: culturally agnostic}
        """#

    static let mcqJSONL = #"""
        id: mcq-jsonl
        title: "Your own multiple-choice items: --data FILE with one JSON object per line"
        version: "1"
        citation: ""
        licence: user data
        notes: >-
          Rows {"id", "question", "choices": [...], "answer": "B" or 1, "culture"?, "language"?, "topic"?}. An
          integer answer is a 0-based index. Unknown culture names are kept as written; no culture means `global`.
        loader:
          format: jsonl
          file: items.jsonl
        task:
          kind: mcq
        fields:
          id: id
          question: question
          choices: choices
          answer: answer
          answer_format: letter-or-index
          topic: topic
        culture:
          field: culture
          unresolved: keep
          fallback: global
        language:
          field: language
          value: en
        scoring:
          rule: accuracy
          by: [culture, topic, language]
        """#
}
