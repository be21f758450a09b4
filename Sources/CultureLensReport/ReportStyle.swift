/// The style sheet of the report and the dashboard: inline, no external font or image, print-friendly.
enum ReportStyle {
    /// Rules that hide samples not matching the checked filters: outcome rules are fixed, culture rules are made
    /// for culture indices 0..<`cultureCount` (numbers only; no data reaches the style sheet).
    static func css(cultureFilters cultureCount: Int) -> String {
        var rules = base
        rules += heatClasses
        for outcome in ReportSample.Outcome.allCases {
            rules += ".samples:has(.f-\(outcome.rawValue):checked) .sample:not(.o-\(outcome.rawValue)){display:none}\n"
        }
        for index in 0..<cultureCount {
            rules += ".samples:has(.f-c\(index):checked) .sample:not(.c\(index)){display:none}\n"
        }
        rules += print
        return rules
    }

    /// Background classes `h0`...`h10` for leaderboard cells: viridis at 0, 0.1, ..., 1, with readable text.
    static let heatClasses: String = (0...10).map { step in
        let color = Palette.viridis(Double(step) / 10)
        return "td.h\(step){background:\(color.hexString);color:\(color.contrastingText.hexString)}\n"
    }.joined()

    static let base = """
        :root{color-scheme:light;--ink:#1f2328;--muted:#59636e;--line:#d0d7de;--soft:#f6f8fa;--link:#0550ae;--focus:#0969da}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
        .skip-link{position:absolute;left:-10000px;top:0}
        .skip-link:focus{left:1rem;top:.5rem;background:#fff;padding:.4rem .6rem;border:2px solid var(--focus);z-index:10}
        .masthead{display:flex;flex-wrap:wrap;gap:.5rem 2rem;align-items:center;padding:.6rem 1.5rem;border-bottom:1px solid var(--line);background:var(--soft)}
        .brand{font-weight:700;margin:0;letter-spacing:.02em}
        .masthead ul,.toc ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;margin:0;padding:0}
        main{max-width:1120px;margin:0 auto;padding:1rem 1.5rem 3rem}
        h1{font-size:1.65rem;margin:.75rem 0 .25rem}
        h2{font-size:1.35rem;border-bottom:2px solid var(--line);padding-bottom:.2rem;margin:2.5rem 0 .75rem}
        h3{font-size:1.1rem;margin:2rem 0 .5rem}
        a{color:var(--link)}
        a:focus-visible,input:focus-visible,pre:focus-visible,summary:focus-visible,button:focus-visible,select:focus-visible,[tabindex]:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
        .lede{color:var(--muted);margin-top:0}
        .toc{margin:1rem 0;padding:.5rem .75rem;border:1px solid var(--line);border-radius:6px}
        .toc h2{font-size:1rem;border:0;margin:0 0 .25rem;padding:0}
        .summary-grid{display:grid;grid-template-columns:minmax(220px,1fr) 3fr;gap:1.5rem;align-items:start}
        .headline{border:1px solid var(--line);border-radius:8px;padding:1rem;background:var(--soft)}
        .headline-figure{font-size:2.6rem;font-weight:700;margin:0;line-height:1.1;font-variant-numeric:tabular-nums}
        .headline-detail{margin:.25rem 0 0;color:var(--muted)}
        .headline-verdict{margin:.5rem 0 0;font-weight:600}
        .level-unreliable{color:#a40e26}.level-caution{color:#7d4e00}.level-ok{color:#1a7f37}
        dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:.5rem 1rem;margin:0}
        dl.facts>div{border-left:3px solid var(--line);padding-left:.5rem;min-width:0}
        dt{font-size:.78rem;color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
        dd{margin:0;overflow-wrap:anywhere}
        code{font:13px ui-monospace,"DejaVu Sans Mono",monospace;overflow-wrap:anywhere}
        figure{margin:.75rem 0}
        figcaption{color:var(--muted);font-size:.9rem}
        .chart-frame{overflow-x:auto}
        svg.chart{display:block;max-width:100%;height:auto}
        svg.tilemap{width:100%}
        table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.5rem 0}
        caption{text-align:left;font-weight:600;padding:.25rem 0}
        th,td{padding:.3rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;overflow-wrap:anywhere}
        thead th{border-bottom:2px solid var(--line);font-size:.8rem;color:var(--muted)}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        .table-frame{overflow-x:auto}
        details{margin:.5rem 0}
        summary{cursor:pointer;color:var(--link)}
        .note{color:var(--muted);font-size:.9rem}
        .filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-start}
        .filters fieldset{border:1px solid var(--line);border-radius:6px;margin:0;padding:.4rem .75rem;min-width:0}
        .filters legend{font-weight:600;padding:0 .25rem}
        .filters label{display:inline-block;margin:.1rem .9rem .1rem 0;white-space:nowrap}
        .culture-filter{max-height:8.5rem;overflow:auto;flex:1 1 24rem}
        .sample-list{list-style:none;padding:0;margin:.75rem 0;counter-reset:shown}
        .sample{counter-increment:shown;border:1px solid var(--line);border-radius:6px;margin:.6rem 0;padding:.5rem .75rem;break-inside:avoid}
        .sample h4{font-size:.92rem;font-weight:400;color:var(--muted);margin:0 0 .35rem}
        .badge{display:inline-block;font-weight:700;font-size:.75rem;padding:.05rem .5rem;border-radius:999px;color:#fff;margin-right:.35rem}
        .b-correct{background:#0072b2}.b-incorrect{background:#b34700}.b-failed{background:#59636e}.b-unscored{background:#6e7781}
        .sample-fields{display:grid;grid-template-columns:8.5rem minmax(0,1fr);gap:.2rem .75rem;margin:0}
        .sample-fields>div{display:contents}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:14rem;overflow:auto;background:var(--soft);padding:.45rem .6rem;border-radius:4px;margin:0;font:13px/1.45 ui-monospace,"DejaVu Sans Mono",monospace;unicode-bidi:plaintext}
        .shown-count::after{content:counter(shown)}
        .muted{color:var(--muted)}
        .leaderboard td{white-space:nowrap;font-variant-numeric:tabular-nums}
        .runs th,.runs td{white-space:nowrap}.runs td.wrap{white-space:normal;min-width:8rem}
        .run-links{list-style:none;padding:0;margin:.5rem 0;font-size:.9rem;columns:2 20rem}
        .leaderboard td small{opacity:.85}
        .actions{margin:.5rem 0}
        button{font:inherit;padding:.3rem .8rem;border:1px solid var(--line);border-radius:6px;background:#fff;color:var(--ink);cursor:pointer}
        @media (max-width:760px){.summary-grid{grid-template-columns:1fr}.sample-fields{grid-template-columns:1fr}main{padding:1rem}}

        """

    static let print = """
        @media print{
        body{font-size:11pt}
        .masthead nav,.toc,.filters,.skip-link,.shown-count,.actions{display:none}
        main{max-width:none;padding:0}
        pre{max-height:none;overflow:visible;background:none;border:1px solid #ccc}
        h2,h3{break-after:avoid}
        figure,tr,.headline{break-inside:avoid}
        a{color:inherit;text-decoration:none}
        .chart-frame,.table-frame{overflow:visible}
        }

        """
}
