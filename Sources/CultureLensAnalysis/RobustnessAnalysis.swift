import CultureLensCore
import CultureLensStatistics
import Foundation

/// Turns the results of a perturbation grid (and optional persona steering) into a ``RobustnessCard``.
///
/// The unit of every interval is the item: figures are recomputed on item resamples (seeded cluster bootstrap,
/// all variants and samples of an item travel together). Failed answers are counted per variant and left out of
/// the figures, never imputed. See docs/robustness.md.
public struct RobustnessAnalysis: Sendable {
    /// Analysis settings.
    public struct Configuration: Sendable, Hashable {
        /// Seed of the bootstrap, the PriDe calibration draw, the question splits and the permutations.
        public var seed: UInt64
        /// Bootstrap replicates per interval.
        public var bootstrapReplicates: Int
        /// Share of the fully rotated items spent on estimating PriDe's prior.
        public var calibrationShare: Double
        /// Random question splits for extrapolability (≥ 30 recommended).
        public var splits: Int
        /// Permutations per ARI p-value (≥ 1,000 recommended).
        public var permutations: Int
        /// k-means restarts per clustering.
        public var kMeansRestarts: Int

        /// Creates settings.
        public init(
            seed: UInt64 = 0,
            bootstrapReplicates: Int = 2000,
            calibrationShare: Double = 0.2,
            splits: Int = 30,
            permutations: Int = 1000,
            kMeansRestarts: Int = 10
        ) {
            self.seed = seed
            self.bootstrapReplicates = bootstrapReplicates
            self.calibrationShare = calibrationShare
            self.splits = splits
            self.permutations = permutations
            self.kMeansRestarts = kMeansRestarts
        }
    }

    /// The suite (already limited).
    public var suite: Suite
    /// The grid.
    public var grid: PerturbationGrid
    /// Persona steering, if any.
    public var steering: SteeringPlan?
    /// Samples per prompt.
    public var samples: Int
    /// Settings.
    public var configuration: Configuration
    /// The grid's variants for this suite (default first).
    public let variants: [PromptVariant]

    /// Creates an analysis.
    /// - Parameter variants: The presentations asked, default first (the grid's for `suite` when `nil`); the run
    ///   card asks only the cyclic rotations of the `order` factor.
    public init(
        suite: Suite,
        grid: PerturbationGrid,
        variants: [PromptVariant]? = nil,
        steering: SteeringPlan? = nil,
        samples: Int = 1,
        configuration: Configuration = Configuration()
    ) {
        self.suite = suite
        self.grid = grid
        self.steering = steering
        self.samples = max(1, samples)
        self.configuration = configuration
        self.variants = variants ?? grid.variants(for: suite)
    }

    /// Every variant to evaluate: the grid's, then the persona variants, each repeated for every sample index.
    public var requestedVariants: [PromptVariant] {
        PromptVariant.expand(variants + (steering?.variants ?? []), samples: samples)
    }

    // MARK: - Cells

    /// The answers of one item under one variant, over its samples.
    struct Cell {
        var attempted = 0
        var distributions: [[Double]] = []
        var scores: [Double] = []
        var failures: [FailureKind] = []
        /// Mean of the sample distributions (canonical order).
        var mean: [Double]?
        /// Canonical argmax of `mean`.
        var answer: Int?
        /// Headline value (score, or survey similarity).
        var headline: Double?
        /// Normalised mean position of `mean` (survey items).
        var meanPosition: Double?
        /// Per-sample values for the variance decomposition (scores, or survey μ).
        var sampleValues: [Double] = []
        /// Renders the same prompt as an earlier grid variant.
        var duplicate = false
    }

    /// The cells of every item × column (grid variants, then persona variants).
    struct Table {
        var cells: [[Cell]]
        var columns: [PromptVariant]
        var gridCount: Int
    }

    func table(results: [ItemResult], survey: SurveyData) -> Table {
        let columns = variants + (steering?.variants ?? [])
        var columnOfID: [String: Int] = [:]
        for (index, variant) in columns.enumerated() where columnOfID[variant.id] == nil {
            columnOfID[variant.id] = index
        }
        var baseOfRequested: [String: String] = [:]
        for variant in requestedVariants { baseOfRequested[variant.id] = variant.firstSample.id }
        var itemOfID: [String: Int] = [:]
        for (index, item) in suite.items.enumerated() where itemOfID[item.id] == nil { itemOfID[item.id] = index }

        var cells = [[Cell]](repeating: [Cell](repeating: Cell(), count: columns.count), count: suite.items.count)
        for result in results {
            guard let item = itemOfID[result.itemID], let base = baseOfRequested[result.variant],
                let column = columnOfID[base]
            else { continue }
            cells[item][column].attempted += 1
            if let failure = result.failure {
                cells[item][column].failures.append(failure)
                continue
            }
            if let distribution = result.distribution { cells[item][column].distributions.append(distribution) }
            if let score = result.score { cells[item][column].scores.append(score) }
        }
        let builder = PromptBuilder()
        for (itemIndex, item) in suite.items.enumerated() {
            var seenPrompts = Set<String>()
            for column in columns.indices {
                var cell = cells[itemIndex][column]
                if column < variants.count {
                    cell.duplicate = !seenPrompts.insert(builder.render(item, variant: columns[column]).text).inserted
                }
                cell.mean = RobustnessMath.meanVector(cell.distributions)
                cell.answer = cell.mean.map(RobustnessMath.argmax)
                if item.kind == .survey {
                    if let mean = cell.mean {
                        cell.headline = survey.similarity(item: itemIndex, model: mean)
                        cell.meanPosition = try? MeanPosition.of(mean)
                    }
                    cell.sampleValues = cell.distributions.compactMap { try? MeanPosition.of($0) }
                } else {
                    cell.headline = RobustnessMath.mean(cell.scores)
                    cell.sampleValues = cell.scores
                }
                cells[itemIndex][column] = cell
            }
        }
        return Table(cells: cells, columns: columns, gridCount: variants.count)
    }

    /// The headline value of a distribution for an item: 1/0 correctness of its argmax for items with gold
    /// answers, survey similarity for survey items.
    func headline(item itemIndex: Int, distribution: [Double], survey: SurveyData) -> Double? {
        let item = suite.items[itemIndex]
        if item.kind == .survey { return survey.similarity(item: itemIndex, model: distribution) }
        guard !item.gold.isEmpty else { return nil }
        return item.gold.contains(RobustnessMath.argmax(distribution)) ? 1 : 0
    }

    // MARK: - Card

    /// Computes the card from the run's results (every requested variant; other rows are ignored).
    public func card(results: [ItemResult]) -> RobustnessCard {
        let survey = SurveyData(suite: suite)
        let table = table(results: results, survey: survey)
        let bootstrap = ItemBootstrap(seed: configuration.seed, replicates: configuration.bootstrapReplicates)
        let gridColumns = Array(0..<table.gridCount)
        var notes: [String] = []

        let surveyCount = suite.items.filter { $0.kind == .survey }.count
        let headlineMetric =
            surveyCount == 0 ? "accuracy" : (surveyCount == suite.items.count ? "similarity" : "mixed")
        if headlineMetric == "mixed" {
            notes.append("the suite mixes survey and scored items: the headline averages accuracy and similarity")
        }
        if table.gridCount < 2 {
            notes.append("only the default variant was evaluated: agreement figures need --perturb")
        }

        // Per-variant figures.
        var variantFigures: [RobustnessCard.Variant] = []
        var failures: [String: Int] = [:]
        for column in gridColumns {
            let variant = table.columns[column]
            var counts: [String: Int] = [:]
            var firstMass: [Double?] = []
            for (itemIndex, item) in suite.items.enumerated() {
                let cell = table.cells[itemIndex][column]
                for failure in cell.failures { counts[failure.rawValue, default: 0] += 1 }
                if let mean = cell.mean {
                    let order = variant.permutation(count: mean.count, neutral: item.neutralIndex)
                    if order.count >= 2 { firstMass.append(mean[order[0]] - 1 / Double(order.count)) }
                }
            }
            for (kind, count) in counts { failures[kind, default: 0] += count }
            let cells = suite.items.indices.map { table.cells[$0][column] }
            let meanPositions = cells.map(\.meanPosition)
            variantFigures.append(
                RobustnessCard.Variant(
                    id: variant.id,
                    factor: grid.factor(of: variant, in: suite)?.rawValue,
                    items: suite.items.count,
                    answered: cells.filter { $0.mean != nil || $0.headline != nil }.count,
                    duplicates: cells.filter(\.duplicate).count,
                    headline: bootstrap.mean(cells.map(\.headline)),
                    firstPositionMass: bootstrap.mean(firstMass),
                    meanPosition: surveyCount > 0 ? bootstrap.mean(meanPositions) : nil,
                    failures: counts
                )
            )
        }
        let inert = variantFigures.dropFirst().filter { !suite.items.isEmpty && $0.duplicates == suite.items.count }
            .map(\.id)
        if !inert.isEmpty {
            notes.append(
                "\(inert.joined(separator: ", ")) render the same prompt as an earlier variant for every item (e.g. "
                    + "paraphrases of items with their own dataset prompt): they add no information"
            )
        }
        for (itemIndex, _) in suite.items.enumerated() {
            for column in table.gridCount..<table.columns.count {
                for failure in table.cells[itemIndex][column].failures { failures[failure.rawValue, default: 0] += 1 }
            }
        }

        // Agreement over all grid variants and per factor.
        let flipRate = flipRateFigure(table, columns: gridColumns, bootstrap: bootstrap)
        let jsd = jsdFigure(table, columns: gridColumns, bootstrap: bootstrap)
        let spread = spreadFigure(table, columns: gridColumns, bootstrap: bootstrap)
        let kappa = kappaFigure(table, columns: gridColumns, bootstrap: bootstrap)
        var perFactor: [RobustnessCard.Factor] = []
        for factor in grid.factors {
            let columns =
                [0] + gridColumns.dropFirst().filter { grid.factor(of: table.columns[$0], in: suite) == factor }
            guard columns.count >= 2 else { continue }
            perFactor.append(
                RobustnessCard.Factor(
                    factor: factor.rawValue,
                    variants: columns.map { table.columns[$0].id },
                    flipRate: flipRateFigure(table, columns: columns, bootstrap: bootstrap),
                    meanPairwiseJSD: jsdFigure(table, columns: columns, bootstrap: bootstrap),
                    spread: spreadFigure(table, columns: columns, bootstrap: bootstrap)
                )
            )
        }

        // Position bias and PriDe.
        let cyclic = cyclicObservations(table)
        var aBias: CardFigure
        var firstChoice: CardFigure
        var positional: [RobustnessCard.Positional] = []
        if cyclic.isEmpty {
            notes.append(
                "no item has all its cyclic rotations answered (--perturb order): A-bias is from the default order only, where position and content are confounded; no PriDe"
            )
            var values: [Double?] = []
            var choices: [Double?] = []
            for itemIndex in suite.items.indices {
                guard let mean = table.cells[itemIndex][0].mean, mean.count >= 2 else { continue }
                values.append(mean[0] - 1 / Double(mean.count))
                choices.append((RobustnessMath.argmax(mean) == 0 ? 1 : 0) - 1 / Double(mean.count))
            }
            aBias = bootstrap.mean(values, note: "default order only")
            firstChoice = bootstrap.mean(choices, note: "default order only")
        } else {
            let items = cyclic.keys.sorted()
            let perItem = items.map { index -> (mass: Double, choice: Double) in
                let observations = cyclic[index] ?? []
                let k = Double(observations.count)
                let mass = observations.reduce(0) { $0 + $1[0] } / k - 1 / k
                let choice = Double(observations.filter { RobustnessMath.argmax($0) == 0 }.count) / k - 1 / k
                return (mass, choice)
            }
            aBias = bootstrap.mean(perItem.map(\.mass))
            firstChoice = bootstrap.mean(perItem.map(\.choice))
            let byCount = Dictionary(grouping: items) { cyclic[$0]?.count ?? 0 }
            for k in byCount.keys.sorted() {
                let group = byCount[k] ?? []
                let distributions = group.compactMap { try? PositionBias.positionalDistribution(cyclic[$0] ?? []) }
                if let mean = RobustnessMath.meanVector(distributions) {
                    positional.append(.init(optionCount: k, items: group.count, distribution: mean))
                }
            }
        }
        let pride =
            cyclic.isEmpty ? nil : prideSection(cyclic: cyclic, survey: survey, bootstrap: bootstrap, notes: &notes)

        let decomposition = varianceDecomposition(table, headlineMetric: headlineMetric, bootstrap: bootstrap)
        let surveySection = surveyCount > 0 ? surveyEffects(table, survey: survey, bootstrap: bootstrap) : nil

        // Steering and extrapolability.
        var steerability: Steerability?
        var extrapolability: Extrapolability?
        if surveyCount > 0, !survey.countries.isEmpty {
            let input = steeringInput(table, survey: survey)
            if let steering, !steering.countries.isEmpty {
                steerability = SteerabilityAnalysis(input: input, bootstrap: bootstrap).compute()
            }
            extrapolability = ExtrapolabilityAnalysis(input: input, configuration: configuration).compute()
        } else if steering != nil {
            notes.append("--steer needs survey items with human answers; none in this suite")
        }

        return RobustnessCard(
            suite: suite.name,
            items: suite.items.count,
            headlineMetric: headlineMetric,
            design: grid.design.rawValue,
            factors: grid.factors.map(\.rawValue),
            samples: samples,
            seed: configuration.seed,
            bootstrapReplicates: configuration.bootstrapReplicates,
            variants: variantFigures,
            flipRate: flipRate,
            fleissKappa: kappa,
            meanPairwiseJSD: jsd,
            formatSpread: spread,
            aBias: aBias,
            firstPositionChoice: firstChoice,
            positional: positional,
            pride: pride,
            perFactor: perFactor,
            varianceDecomposition: decomposition,
            survey: surveySection,
            steerability: steerability,
            extrapolability: extrapolability,
            failures: failures,
            notes: notes
        )
    }

    // MARK: - Agreement

    /// Canonical answers of the non-duplicate cells of `columns`, per item with options.
    func answerRows(_ table: Table, columns: [Int]) -> [[Int?]] {
        suite.items.indices.compactMap { itemIndex -> [Int?]? in
            guard suite.items[itemIndex].choices.count >= 2, suite.items[itemIndex].kind != .shortAnswer else {
                return nil
            }
            return columns.filter { !table.cells[itemIndex][$0].duplicate }.map { table.cells[itemIndex][$0].answer }
        }
    }

    func flipRateFigure(_ table: Table, columns: [Int], bootstrap: ItemBootstrap) -> CardFigure {
        let rows = answerRows(table, columns: columns).filter { $0.compactMap { $0 }.count >= 2 }
        guard !rows.isEmpty else { return .undefined("no item was answered under two distinct variants") }
        return bootstrap.figure(units: rows.count) { sample in
            VariantRobustness.argmaxFlipRate(sample.map { rows[$0] }).value
        }
    }

    func kappaFigure(_ table: Table, columns: [Int], bootstrap: ItemBootstrap) -> CardFigure {
        let complete = answerRows(table, columns: columns).compactMap { row -> [Int]? in
            let present = row.compactMap { $0 }
            return present.count == row.count && present.count >= 2 ? present : nil
        }
        guard !complete.isEmpty else { return .undefined("no item was answered under every variant") }
        // Fleiss' κ needs the same number of raters per item: keep the most common count.
        let counts = Dictionary(grouping: complete, by: \.count)
        let raters = counts.max { ($0.value.count, $0.key) < ($1.value.count, $1.key) }?.key ?? 0
        let rows = counts[raters] ?? []
        let categories = (suite.items.map(\.choices.count).max() ?? 2)
        let dropped = answerRows(table, columns: columns).count - rows.count
        let note =
            dropped > 0
            ? "\(raters) variants as raters; \(dropped) item(s) without an answer under every distinct variant left out"
            : nil
        return bootstrap.figure(units: rows.count, note: note) { sample in
            try? FleissKappa(ratings: sample.map { rows[$0] }, categories: categories).kappa
        }
    }

    func jsdFigure(_ table: Table, columns: [Int], bootstrap: ItemBootstrap) -> CardFigure {
        let values = suite.items.indices.compactMap { itemIndex -> Double? in
            let distributions = columns.compactMap { column -> [Double]? in
                let cell = table.cells[itemIndex][column]
                return cell.duplicate ? nil : cell.mean
            }
            guard distributions.count >= 2 else { return nil }
            return try? VariantRobustness.meanPairwiseJensenShannon(distributions, base: .two)
        }
        guard !values.isEmpty else { return .undefined("no item has two answered distinct variants") }
        return bootstrap.mean(values, note: "bits")
    }

    func spreadFigure(_ table: Table, columns: [Int], bootstrap: ItemBootstrap) -> CardFigure {
        let rows = suite.items.indices.compactMap { itemIndex -> [Double?]? in
            let row = columns.map { table.cells[itemIndex][$0].headline }
            return row.contains { $0 != nil } ? row : nil
        }
        guard columns.count >= 2, !rows.isEmpty else { return .undefined("needs two variants with a headline value") }
        return bootstrap.figure(units: rows.count) { sample in
            var means: [Double] = []
            for column in columns.indices {
                let values = sample.compactMap { rows[$0][column] }
                if let mean = RobustnessMath.mean(values) { means.append(mean) }
            }
            guard means.count >= 2, let high = means.max(), let low = means.min() else { return nil }
            return high - low
        }
    }

    // MARK: - Position bias

    /// For every item whose K cyclic presentations (default order and rotations 1…K−1, everything else default)
    /// were all answered: its probabilities by shown position under shift s = 0…K−1.
    func cyclicObservations(_ table: Table) -> [Int: [[Double]]] {
        var result: [Int: [[Double]]] = [:]
        var columnsByCount: [Int: [Int]?] = [:]
        for (itemIndex, item) in suite.items.enumerated() where item.kind != .shortAnswer {
            let k = item.choices.count
            guard k >= 2 else { continue }
            if columnsByCount[k] == nil { columnsByCount[k] = cyclicColumns(table, optionCount: k) }
            guard let columns = columnsByCount[k] ?? nil else { continue }
            var observations: [[Double]] = []
            for (shift, column) in columns.enumerated() {
                guard let mean = table.cells[itemIndex][column].mean, mean.count == k else { break }
                observations.append(PriDe.cyclicOrder(shift: shift, count: k).map { mean[$0] })
            }
            if observations.count == k { result[itemIndex] = observations }
        }
        return result
    }

    /// The grid columns showing shift 0…K−1 of a K-option item, or `nil` when one is missing.
    func cyclicColumns(_ table: Table, optionCount k: Int) -> [Int]? {
        var columns: [Int] = []
        for shift in 0..<k {
            let target = PriDe.cyclicOrder(shift: shift, count: k)
            let found = (0..<table.gridCount).first { column in
                var plain = table.columns[column]
                let order = plain.permutation(count: k)
                plain.order = .original
                return plain.id == PromptVariant.default.id && order == target
            }
            guard let found else { return nil }
            columns.append(found)
        }
        return columns
    }

    func prideSection(
        cyclic: [Int: [[Double]]],
        survey: SurveyData,
        bootstrap: ItemBootstrap,
        notes: inout [String]
    ) -> RobustnessCard.PriDe? {
        var generator = SplitMix64(seed: configuration.seed ^ 0x5052_4944_4500_0000)
        let byCount = Dictionary(grouping: cyclic.keys.sorted()) { cyclic[$0]?.count ?? 0 }
        var priors: [RobustnessCard.Prior] = []
        var calibration: [String] = []
        var evaluation: [(item: Int, observed: [Double], debiased: [Double])] = []
        for k in byCount.keys.sorted() {
            var group = byCount[k] ?? []
            generator.shuffle(&group)
            guard group.count >= 2 else {
                notes.append(
                    "PriDe: only one item with \(k) options has every rotation; it cannot be both calibration and evaluation"
                )
                continue
            }
            let size = min(
                group.count - 1,
                max(1, Int((configuration.calibrationShare * Double(group.count)).rounded()))
            )
            let calibrationItems = Array(group.prefix(size))
            let evaluationItems = Array(group.dropFirst(size))
            guard let prior = try? PriDe.prior(estimationItems: calibrationItems.map { cyclic[$0] ?? [] }) else {
                continue
            }
            priors.append(
                .init(
                    optionCount: k,
                    calibrationItems: calibrationItems.count,
                    evaluationItems: evaluationItems.count,
                    prior: prior
                )
            )
            calibration.append(contentsOf: calibrationItems.sorted().map { suite.items[$0].id })
            for itemIndex in evaluationItems.sorted() {
                // Shift 0 is the canonical order, so positions are canonical indices.
                guard let observed = cyclic[itemIndex]?.first,
                    let debiased = try? PriDe.debiased(observed: observed, prior: prior)
                else { continue }
                evaluation.append((itemIndex, observed, debiased))
            }
        }
        guard !priors.isEmpty else { return nil }
        evaluation.sort { $0.item < $1.item }
        let observed = evaluation.map { headline(item: $0.item, distribution: $0.observed, survey: survey) }
        let debiased = evaluation.map { headline(item: $0.item, distribution: $0.debiased, survey: survey) }
        let differences = zip(observed, debiased).map { pair -> Double? in
            guard let before = pair.0, let after = pair.1 else { return nil }
            return after - before
        }
        let adjusted = cyclic.keys.sorted().map { itemIndex -> Double? in
            guard let averaged = try? PriDe.permutationAveraged(cyclicObservations: cyclic[itemIndex] ?? []) else {
                return nil
            }
            return headline(item: itemIndex, distribution: averaged, survey: survey)
        }
        return RobustnessCard.PriDe(
            calibrationShare: configuration.calibrationShare,
            calibrationItems: calibration,
            evaluationItems: evaluation.count,
            priors: priors,
            observed: bootstrap.mean(observed, note: "evaluation items, default order"),
            debiased: bootstrap.mean(
                debiased,
                note: "evaluation items, default order debiased with the calibration prior (prior held fixed)"
            ),
            improvement: bootstrap.mean(differences, note: "paired: debiased − observed"),
            orderAdjusted: bootstrap.mean(
                adjusted,
                note: "all fully rotated items, probabilities averaged over the rotations"
            )
        )
    }

    // MARK: - Variance decomposition

    func varianceDecomposition(_ table: Table, headlineMetric: String, bootstrap: ItemBootstrap)
        -> RobustnessCard.VarianceDecomposition
    {
        let survey = headlineMetric == "similarity"
        // items × cells × sample values (non-duplicate grid cells with values)
        let data: [[[Double]]] = suite.items.indices.compactMap { itemIndex in
            let item = suite.items[itemIndex]
            guard (item.kind == .survey) == survey else { return nil }
            let cells = (0..<table.gridCount).compactMap { column -> [Double]? in
                let cell = table.cells[itemIndex][column]
                return cell.duplicate || cell.sampleValues.isEmpty ? nil : cell.sampleValues
            }
            return cells.isEmpty ? nil : cells
        }
        func components(_ sample: [Int]) -> (item: Double, variant: Double, within: Double?)? {
            let items = sample.map { data[$0] }
            let cells = items.flatMap { $0 }
            let withinValues = cells.compactMap(RobustnessMath.sampleVariance)
            let within = RobustnessMath.mean(withinValues)
            let samplesPerCell = RobustnessMath.mean(cells.map { Double($0.count) }) ?? 1
            let itemMeans = items.map { $0.compactMap(RobustnessMath.mean) }
            let rawVariant = RobustnessMath.mean(itemMeans.compactMap(RobustnessMath.sampleVariance)) ?? 0
            let variant = max(0, rawVariant - (within ?? 0) / samplesPerCell)
            let cellsPerItem = RobustnessMath.mean(items.map { Double($0.count) }) ?? 1
            guard let rawItem = RobustnessMath.sampleVariance(itemMeans.compactMap(RobustnessMath.mean)) else {
                return nil
            }
            let item = max(0, rawItem - variant / cellsPerItem - (within ?? 0) / (cellsPerItem * samplesPerCell))
            return (item, variant, within)
        }
        let all = components(Array(data.indices))
        let itemFigure = bootstrap.figure(units: data.count) { components($0)?.item }
        let variantFigure = bootstrap.figure(units: data.count) { components($0)?.variant }
        let withinFigure = samples > 1 ? bootstrap.figure(units: data.count) { components($0)?.within } : nil
        var shares: [String: Double] = [:]
        if let all {
            let total = all.item + all.variant + (all.within ?? 0)
            if total > 0 {
                shares["between_item"] = all.item / total
                shares["between_variant"] = all.variant / total
                if samples > 1, let within = all.within { shares["within_prompt"] = within / total }
            }
        }
        return RobustnessCard.VarianceDecomposition(
            unit: survey ? "mean_position" : "score",
            betweenItem: itemFigure,
            betweenVariant: variantFigure,
            withinPrompt: withinFigure,
            shares: shares
        )
    }

    // MARK: - Survey effects

    func surveyEffects(_ table: Table, survey: SurveyData, bootstrap: ItemBootstrap) -> RobustnessCard.Survey {
        let perQuestionSD = survey.surveyItems.compactMap { itemIndex -> Double? in
            let values = survey.countries.compactMap { survey.meanPosition(item: itemIndex, country: $0) }
            return values.isEmpty ? nil : RobustnessMath.populationVariance(values)?.squareRoot()
        }
        let yardstick = bootstrap.mean(perQuestionSD, note: "questions; between-country SD, ddof 0 (RnR)")
        let variantSDs = survey.surveyItems.compactMap { itemIndex -> Double? in
            let values = (0..<table.gridCount).compactMap { column -> Double? in
                let cell = table.cells[itemIndex][column]
                return cell.duplicate ? nil : cell.meanPosition
            }
            return values.count >= 2 ? RobustnessMath.populationVariance(values)?.squareRoot() : nil
        }
        let variantSD = bootstrap.mean(variantSDs, note: "items; SD over variants, ddof 0")
        let rows = survey.surveyItems.map { itemIndex in
            (0..<table.gridCount).map { table.cells[itemIndex][$0].meanPosition }
        }
        let spread = bootstrap.figure(units: rows.count) { sample in
            var means: [Double] = []
            for column in 0..<table.gridCount {
                if let mean = RobustnessMath.mean(sample.compactMap { rows[$0][column] }) { means.append(mean) }
            }
            guard means.count >= 2, let high = means.max(), let low = means.min() else { return nil }
            return high - low
        }
        var shifts: [RobustnessCard.SurveyShift] = []
        for column in 1..<max(1, table.gridCount) {
            let pairs = rows.compactMap { row -> Double? in
                guard let value = row[column], let plain = row[0] else { return nil }
                return value - plain
            }
            shifts.append(
                .init(
                    id: table.columns[column].id,
                    meanPosition: bootstrap.mean(rows.map { $0[column] }),
                    shift: bootstrap.mean(pairs),
                    absoluteShift: bootstrap.mean(pairs.map { abs($0) })
                )
            )
        }
        var ratio: Double?
        if let sd = variantSD.value, let human = yardstick.value, human > 0 { ratio = sd / human }
        return RobustnessCard.Survey(
            humanYardstick: yardstick,
            variantSD: variantSD,
            ratioToYardstick: ratio,
            meanPositionSpread: spread,
            variants: shifts
        )
    }

    // MARK: - Steering input

    func steeringInput(_ table: Table, survey: SurveyData) -> SteeringInput {
        let questions = survey.surveyItems
        let human = survey.countries.map { country in questions.map { survey.meanPosition(item: $0, country: country) }
        }
        let plain = questions.map { table.cells[$0][0].meanPosition }
        var persona: [[[Double?]]] = []
        if let steering {
            for template in 0..<steering.templates {
                persona.append(
                    steering.countries.enumerated().map { offset, _ in
                        let column = table.gridCount + template * steering.countries.count + offset
                        return questions.map { table.cells[$0][column].meanPosition }
                    }
                )
            }
        }
        return SteeringInput(
            questionIDs: questions.map { suite.items[$0].id },
            countries: survey.countries,
            human: human,
            plain: plain,
            targets: steering?.countries ?? [],
            persona: persona
        )
    }
}
