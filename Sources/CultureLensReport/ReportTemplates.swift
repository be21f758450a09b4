import CultureLensCore
import Mustache

/// The Mustache templates of the report and the dashboard, kept as string literals so the binary is
/// self-contained.
///
/// Every template is registered with `{{% CONTENT_TYPE: CULTURELENS_HTML}}` prepended, so `{{name}}` escapes with
/// ``HTMLEscape/escape(_:)`` (Unicode-scalar-safe) in every template and partial. Triple braces are used only for
/// ``TrustedHTML`` produced by this module. View models never use optionals: a nil optional would make Mustache
/// look the name up in the enclosing contexts; optional text is a `[String]` of zero or one element instead.
enum ReportTemplates {
    /// The library with every template, parsed once.
    static let library: MustacheLibrary = {
        precondition(SafeHTMLContentType.registered)
        var library = MustacheLibrary()
        let templates: [(String, String)] = [
            ("page", page), ("table", table), ("run", run), ("samples", samples), ("comparison", comparison),
            ("extra", extra), ("culturalMap", culturalMap),
            ("preferences", preferences), ("vsm2013", vsm2013), ("calibration", calibration), ("card", card),
            ("runs", runs),
            ("leaderboard", leaderboard),
            ("message", message),
        ]
        for (name, text) in templates {
            do {
                try library.register("{{% CONTENT_TYPE: \(SafeHTMLContentType.name)}}" + text, named: name)
            } catch {
                preconditionFailure("template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// Renders `object` with the template `name`.
    static func render(_ object: Any, template name: String) -> String {
        guard let text = library.render(object, withTemplate: name) else {
            preconditionFailure("no template named \(name)")
        }
        return text
    }

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        {{#metaCSP}}<meta http-equiv="Content-Security-Policy" content="{{.}}">
        {{/metaCSP}}<meta name="referrer" content="no-referrer">
        <meta name="generator" content="CultureLens {{version}}">
        <title>{{title}}</title>
        <style>
        {{{css}}}</style>
        </head>
        <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="masthead">
        <p class="brand">CultureLens</p>
        {{#hasNav}}<nav aria-label="Dashboard"><ul>{{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{text}}</a></li>{{/nav}}</ul></nav>{{/hasNav}}
        </header>
        <main id="main">
        <h1><bdi>{{heading}}</bdi></h1>
        {{#lede}}<p class="lede">{{.}}</p>
        {{/lede}}{{#hasToc}}<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Contents</h2><ul>{{#toc}}<li><a href="{{href}}"><bdi>{{text}}</bdi></a></li>{{/toc}}</ul></nav>
        {{/hasToc}}{{{content}}}
        </main>
        <footer class="masthead"><p class="note">{{footer}}</p></footer>
        </body>
        </html>

        """

    static let table = """
        <table{{#tableClass}} class="{{.}}"{{/tableClass}}>
        <caption>{{caption}}</caption>
        <thead><tr>{{#headers}}<th scope="col"{{#numeric}} class="num"{{/numeric}}>{{text}}</th>{{/headers}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}{{#header}}<th scope="row"><bdi>{{text}}</bdi></th>{{/header}}{{^header}}<td class="{{cellClass}}">{{#link}}<a href="{{href}}"><bdi>{{text}}</bdi></a>{{/link}}{{^link}}<bdi>{{text}}</bdi>{{/link}}{{#detail}} <small>{{.}}</small>{{/detail}}</td>{{/header}}{{/cells}}</tr>
        {{/rows}}</tbody>
        </table>

        """

    static let run = """
        <section class="run" id="{{anchor}}" aria-labelledby="{{anchor}}-title">
        <h2 id="{{anchor}}-title"><bdi>{{title}}</bdi></h2>
        {{#runLede}}<p class="lede">{{.}}</p>
        {{/runLede}}<nav class="toc" aria-label="Sections of this run"><ul>{{#sections}}<li><a href="{{href}}">{{text}}</a></li>{{/sections}}</ul></nav>
        <div class="summary-grid" id="{{anchor}}-summary">
        <div class="headline">
        <p class="headline-figure">{{accuracy}}</p>
        <p class="headline-detail">{{headlineDetail}}</p>
        {{#cardPanels}}<p class="headline-verdict level-{{cardLevel}}">{{cardSummary}}</p>
        {{/cardPanels}}</div>
        <dl class="facts">
        {{#facts}}<div><dt>{{term}}</dt><dd>{{#code}}<code>{{value}}</code>{{/code}}{{^code}}<bdi>{{value}}</bdi>{{/code}}</dd></div>
        {{/facts}}</dl>
        </div>
        {{#cardPanels}}{{> card}}{{/cardPanels}}<section id="{{anchor}}-cultures" aria-labelledby="{{anchor}}-cultures-title">
        <h3 id="{{anchor}}-cultures-title">Accuracy by culture</h3>
        {{#hasCultures}}<figure><div class="chart-frame">{{{cultureChart}}}</div><figcaption>Sorted by accuracy. Whiskers: Wilson 95% intervals; n: scored items; dashed line: overall accuracy.</figcaption></figure>
        <details><summary>Data table</summary><div class="table-frame">{{#cultureTable}}{{> table}}{{/cultureTable}}</div></details>
        {{/hasCultures}}{{^hasCultures}}<p class="note">No culture has a scored item.</p>
        {{/hasCultures}}</section>
        <section id="{{anchor}}-map" aria-labelledby="{{anchor}}-map-title">
        <h3 id="{{anchor}}-map-title">World tile map</h3>
        <figure><div class="chart-frame">{{{map}}}</div><figcaption>One tile per country in its approximate place; sub-national regions (rounder tiles) beside their country. Colour: accuracy on a colour-blind-safe scale; grey: no data. Hover a tile for its n and interval.</figcaption></figure>
        {{#unplaced}}<p class="note">Not on the map: <bdi>{{.}}</bdi></p>
        {{/unplaced}}</section>
        {{#hasTopics}}<section id="{{anchor}}-topics" aria-labelledby="{{anchor}}-topics-title">
        <h3 id="{{anchor}}-topics-title">Accuracy by topic</h3>
        <figure><div class="chart-frame">{{{topicChart}}}</div></figure>
        <details><summary>Data table</summary><div class="table-frame">{{#topicTable}}{{> table}}{{/topicTable}}</div></details>
        </section>
        {{/hasTopics}}<section id="{{anchor}}-failures" aria-labelledby="{{anchor}}-failures-title">
        <h3 id="{{anchor}}-failures-title">Failures by kind</h3>
        <p>{{failureSummary}}</p>
        {{#hasFailures}}<figure><div class="chart-frame">{{{failureChart}}}</div></figure>
        {{/hasFailures}}<div class="table-frame">{{#failureTable}}{{> table}}{{/failureTable}}</div>
        </section>
        {{#culturalMaps}}{{> culturalMap}}{{/culturalMaps}}{{#preferenceFigures}}{{> preferences}}{{/preferenceFigures}}{{#vsmFigures}}{{> vsm2013}}{{/vsmFigures}}{{#calibrationFigures}}{{> calibration}}{{/calibrationFigures}}{{#extras}}{{> extra}}{{/extras}}{{#sampleBrowser}}{{> samples}}{{/sampleBrowser}}
        <section id="{{anchor}}-method" aria-labelledby="{{anchor}}-method-title">
        <h3 id="{{anchor}}-method-title">Method notes</h3>
        <dl class="facts">
        {{#methodFacts}}<div><dt>{{term}}</dt><dd>{{#code}}<code>{{value}}</code>{{/code}}{{^code}}<bdi>{{value}}</bdi>{{/code}}</dd></div>
        {{/methodFacts}}</dl>
        {{#methodNotes}}<p class="note">{{.}}</p>
        {{/methodNotes}}{{#examplePrompt}}<h4>Prompt as sent (first item)</h4>
        <pre tabindex="0">{{.}}</pre>
        {{/examplePrompt}}</section>
        </section>

        """

    static let extra = """
        <section id="{{extraAnchor}}" aria-labelledby="{{extraAnchor}}-title">
        <h3 id="{{extraAnchor}}-title">{{extraTitle}}</h3>
        {{#extraNote}}<p class="note">{{.}}</p>
        {{/extraNote}}{{#hasChart}}<figure><div class="chart-frame">{{{extraChart}}}</div></figure>
        {{/hasChart}}<div class="table-frame">{{#extraTable}}{{> table}}{{/extraTable}}</div>
        </section>

        """

    static let culturalMap = """
        <section id="{{mapAnchor}}" aria-labelledby="{{mapAnchor}}-title">
        <h3 id="{{mapAnchor}}-title">Inglehart–Welzel cultural map</h3>
        {{#mapNotes}}<p class="note">{{.}}</p>
        {{/mapNotes}}<figure><div class="chart-frame">{{{mapChart}}}</div><figcaption>x: survival → self-expression values (RC1); y: traditional → secular values (RC2). Small points: the 107 countries of the human survey (Tao et al. 2024), coloured by cultural zone, grey where CultureLens's zone table has none; the countries nearest the model and the persona countries are labelled, and every point names itself on hover. Cross: the model's unprompted point with its 95% interval on both axes. Arrows: from the unprompted point to the point under each country's persona, blue when it moved closer to that (ringed) country, orange and dashed when not.</figcaption></figure>
        <div class="table-frame">{{#pointTable}}{{> table}}{{/pointTable}}</div>
        {{#steering}}<p>{{.}}</p>
        {{/steering}}{{#hasPersonas}}<div class="table-frame">{{#personaTable}}{{> table}}{{/personaTable}}</div>
        {{/hasPersonas}}</section>

        """

    static let preferences = """
        <section id="{{preferencesAnchor}}" aria-labelledby="{{preferencesAnchor}}-title">
        <h3 id="{{preferencesAnchor}}-title">Utilities from forced choices</h3>
        {{#preferencesNotes}}<p class="note">{{.}}</p>
        {{/preferencesNotes}}{{#hasUtilities}}<figure><div class="chart-frame">{{{utilitiesChart}}}</div><figcaption>Options sorted by Thurstonian utility (mean 0, SD 1 over the options). Whiskers: 95% percentile bootstrap interval over pairs; n: answered pairs the option is in. Hover a row for its figures.</figcaption></figure>
        <details><summary>Data table</summary><div class="table-frame">{{#utilitiesTable}}{{> table}}{{/utilitiesTable}}</div></details>
        {{/hasUtilities}}<div class="table-frame">{{#transitivityTable}}{{> table}}{{/transitivityTable}}</div>
        {{#hasPersonas}}<div class="table-frame">{{#personaTable}}{{> table}}{{/personaTable}}</div>
        <div class="table-frame">{{#correlationTable}}{{> table}}{{/correlationTable}}</div>
        {{/hasPersonas}}</section>

        """

    static let card = """
        <section id="{{cardAnchor}}" class="card" aria-labelledby="{{cardAnchor}}-title">
        <h3 id="{{cardAnchor}}-title">Robustness card</h3>
        <p>{{cardSample}}</p>
        {{#hasVerdicts}}<div class="table-frame">{{#verdictTable}}{{> table}}{{/verdictTable}}</div>
        <details><summary>Figures</summary><div class="table-frame">{{#figureTable}}{{> table}}{{/figureTable}}</div></details>
        {{/hasVerdicts}}{{#cardNotes}}<p class="note">{{.}}</p>
        {{/cardNotes}}</section>

        """

    static let calibration = """
        <section id="{{calibrationAnchor}}" aria-labelledby="{{calibrationAnchor}}-title">
        <h3 id="{{calibrationAnchor}}-title">Calibration</h3>
        <p>{{calibrationSummary}}</p>
        <figure><div class="chart-frame">{{{calibrationChart}}}</div><figcaption>Reliability diagram: per confidence bin (the largest option probability, renormalised over the options), the share of answers that are right with its Wilson 95% interval; a calibrated model's accuracy equals the bin's mean confidence.</figcaption></figure>
        </section>

        """

    static let vsm2013 = """
        <section id="{{vsmAnchor}}" aria-labelledby="{{vsmAnchor}}-title">
        <h3 id="{{vsmAnchor}}-title">Hofstede VSM-2013 indices</h3>
        {{#vsmNotes}}<p class="note">{{.}}</p>
        {{/vsmNotes}}{{#hasIndices}}<figure><div class="chart-frame">{{{vsmChart}}}</div><figcaption>Each index (C = 0, so only differences between profiles mean something) as the mean over presentation variants (wordings × option orders), whiskers its 95% t interval over the variants; n: variants with all 24 items answered.</figcaption></figure>
        {{/hasIndices}}<div class="table-frame">{{#indexTable}}{{> table}}{{/indexTable}}</div>
        <div class="table-frame">{{#spreadTable}}{{> table}}{{/spreadTable}}</div>
        </section>

        """

    static let samples = """
        <section class="samples" id="{{browserAnchor}}" aria-labelledby="{{browserAnchor}}-title">
        <h3 id="{{browserAnchor}}-title">Sample browser</h3>
        {{#browserNote}}<p class="note">{{.}}</p>
        {{/browserNote}}<div class="filters" role="group" aria-label="Filter samples">
        <fieldset><legend>Outcome</legend>
        {{#outcomeFilters}}<label><input type="radio" name="{{group}}" class="{{filterClass}}"{{#checked}} checked{{/checked}}> {{label}} <span class="muted">({{count}})</span></label>
        {{/outcomeFilters}}</fieldset>
        <fieldset class="culture-filter"><legend>Culture</legend>
        {{#cultureFilters}}<label><input type="radio" name="{{group}}" class="{{filterClass}}"{{#checked}} checked{{/checked}}> <bdi>{{label}}</bdi> <span class="muted">({{count}})</span></label>
        {{/cultureFilters}}</fieldset>
        </div>
        <ol class="sample-list">
        {{{itemsHTML}}}</ol>
        <p class="shown-count" aria-hidden="true">Samples shown: </p>
        </section>

        """

    static let comparison = """
        <section class="comparison" id="comparison" aria-labelledby="comparison-title">
        <h2 id="comparison-title">Comparison</h2>
        <p>{{method}}</p>
        <div class="table-frame">{{#runsTable}}{{> table}}{{/runsTable}}</div>
        {{#pairs}}<section id="{{pairAnchor}}" aria-labelledby="{{pairAnchor}}-title">
        <h3 id="{{pairAnchor}}-title"><bdi>{{pairTitle}}</bdi></h3>
        <p>{{pairSummary}}</p>
        {{#hasPairChart}}<figure><div class="chart-frame">{{{pairChart}}}</div><figcaption>Per culture, other − baseline on shared items; blue: interval above zero, orange: below zero, grey: includes zero or too few items for an interval.</figcaption></figure>
        {{/hasPairChart}}<details><summary>Data table</summary><div class="table-frame">{{#pairTable}}{{> table}}{{/pairTable}}</div></details>
        </section>
        {{/pairs}}</section>

        """

    static let runs = """
        <section aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        {{#hasRuns}}<form method="get" action="/compare">
        <div class="table-frame">
        <table class="runs">
        <caption>Every run in the store, newest first. Tick two or more to compare them.</caption>
        <thead><tr><th scope="col">Compare</th><th scope="col">Run</th><th scope="col">Model</th><th scope="col">Suite</th><th scope="col">Scoring</th><th scope="col">Status</th><th scope="col" class="num">Items</th><th scope="col" class="num">Accuracy</th><th scope="col">95% CI</th><th scope="col">Label</th><th scope="col">Created</th></tr></thead>
        <tbody>
        {{#runRows}}<tr><td><input type="checkbox" name="run" value="{{id}}" id="cmp-{{rowIndex}}" aria-label="Compare run {{id}}"></td><td><a href="{{href}}"><code>{{id}}</code></a></td><td class="wrap"><bdi>{{model}}</bdi></td><td><a href="{{suiteHref}}"><bdi>{{suite}}</bdi></a></td><td>{{scoring}}</td><td>{{status}}</td><td class="num">{{items}}</td><td class="num">{{accuracy}}</td><td>{{ci}}</td><td class="wrap"><bdi>{{label}}</bdi></td><td>{{created}}</td></tr>
        {{/runRows}}</tbody>
        </table>
        </div>
        <p class="actions"><button type="submit">Compare selected runs</button></p>
        </form>
        {{/hasRuns}}{{^hasRuns}}<p>No runs in the store yet. Run <code>culturelens run starter</code> first.</p>
        {{/hasRuns}}</section>
        <section aria-labelledby="suites-title">
        <h2 id="suites-title">Leaderboards</h2>
        <ul>{{#suiteLinks}}<li><a href="{{href}}"><bdi>{{text}}</bdi></a></li>{{/suiteLinks}}</ul>
        </section>

        """

    static let leaderboard = """
        <section aria-labelledby="lb-title">
        <h2 id="lb-title">Models × cultures</h2>
        <p class="note">{{explanation}}</p>
        {{#hasBoard}}<ol class="run-links">{{#runLinks}}<li><a href="{{href}}"><bdi>{{text}}</bdi></a></li>{{/runLinks}}</ol>
        <div class="table-frame">{{#board}}{{> table}}{{/board}}</div>{{/hasBoard}}
        {{^hasBoard}}<p>No run of this suite has a scored item.</p>{{/hasBoard}}
        </section>

        """

    static let message = """
        <p>{{message}}</p>
        {{#backLink}}<p><a href="{{href}}">{{text}}</a></p>{{/backLink}}

        """
}
