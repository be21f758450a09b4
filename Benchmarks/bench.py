#!/usr/bin/env python3
"""CultureLens benchmarks (`make bench`): harness overhead against lm-evaluation-harness, latency-bound throughput,
the real local model, and the SQLite store + report at 100k samples. Python 3 standard library only.

Run through Benchmarks/run.sh, which installs what is missing and passes the tool paths in the environment:
  BENCH_CULTURELENS  release culturelens binary        BENCH_STORE_BIN  release CultureLensBench binary
  BENCH_LMEVAL       lm-eval executable in the bench venv (empty: lm-eval rows say why they are missing)
  BENCH_LMEVAL_WHY   why lm-eval is unavailable, when it is
Sizes (env): BENCH_QUICK=1 (about a minute), BENCH_SIZES="500 5000", BENCH_REPEAT=3, BENCH_LATENCY_ITEMS=3200,
BENCH_STORE_COUNT=100000, BENCH_STALL_ITEMS=2000, BENCH_SKIP_LMEVAL=1, BENCH_SKIP_REAL=1, BENCH_PORT=18431,
BENCH_SECTIONS="overhead latency stall real store".
Prints one markdown table and writes it (with machine, load and commands) to Benchmarks/results/latest.md
(Benchmarks/results/quick.md for BENCH_QUICK runs).
"""

import filecmp
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SCRATCH = os.path.join(HERE, ".scratch")
RESULTS = os.path.join(HERE, "results")


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "100 300" if QUICK else "500 5000").split()]
REPEAT = env_int("BENCH_REPEAT", 1 if QUICK else 3)
# Whole waves of 64 (3,200 = 50 x 64): with a partial last wave no client can reach the ideal rate (2,000 items are
# 31.25 waves, so even a perfect client gets 97.7% of 320/s), and the row would measure the item count, not us.
LATENCY_ITEMS = env_int("BENCH_LATENCY_ITEMS", 320 if QUICK else 3200)
STORE_COUNT = env_int("BENCH_STORE_COUNT", 5000 if QUICK else 100000)
SKIP_LMEVAL = os.environ.get("BENCH_SKIP_LMEVAL", "") not in ("", "0")
SKIP_REAL = os.environ.get("BENCH_SKIP_REAL", "") not in ("", "0")
PORT = env_int("BENCH_PORT", 18431)
DELAY_PORT = PORT + 1
CONCURRENCY = 32
LATENCY_CONCURRENCY = 64
DELAY = 0.2
STALL_ITEMS = env_int("BENCH_STALL_ITEMS", 400 if QUICK else 2000)
STALL_PORT = PORT + 2
STALL_LATENCY = 0.02

CULTURELENS = os.environ.get("BENCH_CULTURELENS", os.path.join(ROOT, ".build-bench-rel/release/culturelens"))
STORE_BIN = os.environ.get("BENCH_STORE_BIN", os.path.join(ROOT, ".build-bench-rel/release/CultureLensBench"))
LMEVAL = os.environ.get("BENCH_LMEVAL", "")
LMEVAL_WHY = os.environ.get("BENCH_LMEVAL_WHY", "lm-eval is not installed")

COMMANDS = []  # exact commands run, for the results file


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


# ---------------------------------------------------------------------------------------------------------------
# Synthetic data


def write_items(path, count, seed=20261123):
    """`mcq-jsonl` rows (docs/specs.md): id, question, four choices, a letter answer, culture, topic."""
    rng = random.Random(seed)
    cultures = ["Japan", "Kenya", "Brazil", "Germany", "India", "Mexico", "Nigeria", "France", "Egypt", "Peru"]
    topics = ["food", "etiquette", "holidays", "family", "music", "sport"]
    words = ["festival", "breakfast", "greeting", "wedding", "market", "dance", "tea", "rice", "bread", "gift",
             "elder", "neighbour", "season", "harvest", "custom", "song", "dish", "ceremony", "visit", "meal"]
    with open(path, "w") as f:
        for i in range(count):
            culture = rng.choice(cultures)
            row = {
                "id": f"q{i}",
                "question": f"In {culture}, which {rng.choice(words)} is usually part of a {rng.choice(words)} "
                            f"{rng.choice(words)}? (item {i})",
                "choices": [f"{rng.choice(words).capitalize()} {rng.choice(words)} {k}" for k in range(4)],
                "answer": "ABCD"[rng.randrange(4)],
                "culture": culture,
                "topic": rng.choice(topics),
            }
            f.write(json.dumps(row) + "\n")


LMEVAL_TASK = """task: {name}
dataset_path: json
dataset_kwargs:
  data_files:
    test: {data}
test_split: test
output_type: generate_until
doc_to_text: "{{{{question}}}}\\nA. {{{{choices[0]}}}}\\nB. {{{{choices[1]}}}}\\nC. {{{{choices[2]}}}}\\nD. {{{{choices[3]}}}}\\nAnswer with the letter of the correct option.\\nAnswer:"
doc_to_target: "{{{{answer}}}}"
generation_kwargs:
  until: ["\\n\\n"]
  max_gen_toks: 48
  do_sample: false
  temperature: 0
filter_list:
  - name: letter
    filter:
      - function: regex
        regex_pattern: "([ABCD])"
      - function: take_first
metric_list:
  - metric: exact_match
    aggregation: mean
    higher_is_better: true
metadata:
  version: 1.0
"""


# ---------------------------------------------------------------------------------------------------------------
# The fake OpenAI-compatible endpoint: nginx on loopback, fixed JSON, `$msec` access log

MODELS_JSON = '{"object":"list","data":[{"id":"fake","object":"model","created":0,"owned_by":"bench"}]}'
CHAT_JSON = (
    '{"id":"bench","object":"chat.completion","created":1800000000,"model":"fake","choices":[{"index":0,'
    '"message":{"role":"assistant","content":"B"},"logprobs":{"content":[{"token":"B","logprob":-0.05,'
    '"top_logprobs":[{"token":"B","logprob":-0.05},{"token":"A","logprob":-3.2},{"token":"C","logprob":-4.1},'
    '{"token":"D","logprob":-4.5}]}]},"finish_reason":"stop"}],'
    '"usage":{"prompt_tokens":60,"completion_tokens":1,"total_tokens":61}}'
)
COMPLETION_JSON = (
    '{"id":"bench","object":"text_completion","created":1800000000,"model":"fake","choices":[{"index":0,'
    '"text":" B","logprobs":{"tokens":[" B"],"token_logprobs":[-0.05],"top_logprobs":[{" B":-0.05," A":-3.2,'
    '" C":-4.1," D":-4.5}],"text_offset":[0]},"finish_reason":"stop"}],'
    '"usage":{"prompt_tokens":60,"completion_tokens":1,"total_tokens":61}}'
)


def nginx_conf(prefix):
    echo_module = "/usr/lib/nginx/modules/ngx_http_echo_module.so"
    temp = "".join(f"    {kind}_temp_path {prefix}/tmp/{kind};\n" for kind in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""load_module {echo_module};
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
{temp}    log_format bench '$msec $request_time $server_port $request_method $uri $status';
    access_log {prefix}/access.log bench;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_max_body_size 1m;
    client_body_buffer_size 64k;
    default_type application/json;
    # zero latency: fixed JSON straight from the config
    server {{
        listen 127.0.0.1:{PORT};
        location = /v1/models {{ return 200 '{MODELS_JSON}'; }}
        location = /v1/completions {{ return 200 '{COMPLETION_JSON}'; }}
        location = /v1/chat/completions {{ return 200 '{CHAT_JSON}'; }}
    }}
    # 200 ms per request (echo module timer, non-blocking), same JSON
    server {{
        listen 127.0.0.1:{DELAY_PORT};
        location = /v1/models {{ return 200 '{MODELS_JSON}'; }}
        location = /v1/completions {{ echo_read_request_body; echo_sleep {DELAY}; echo -n '{COMPLETION_JSON}'; }}
        location = /v1/chat/completions {{ echo_read_request_body; echo_sleep {DELAY}; echo -n '{CHAT_JSON}'; }}
    }}
}}
"""


class Nginx:
    def __init__(self):
        self.prefix = os.path.join(SCRATCH, "nginx")
        shutil.rmtree(self.prefix, ignore_errors=True)
        os.makedirs(os.path.join(self.prefix, "tmp"))
        self.conf = os.path.join(self.prefix, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(nginx_conf(self.prefix))
        self.access = os.path.join(self.prefix, "access.log")
        cmd = ["nginx", "-p", self.prefix, "-c", self.conf, "-g", "daemon off;"]
        COMMANDS.append(" ".join(cmd[:-1]) + " 'daemon off;'   # config: Benchmarks/.scratch/nginx/nginx.conf")
        self.process = subprocess.Popen(cmd, stderr=open(os.path.join(self.prefix, "stderr.log"), "w"))
        deadline = time.time() + 10
        import urllib.request
        while True:
            try:
                for port in (PORT, DELAY_PORT):
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=1).read()
                break
            except Exception:
                if self.process.poll() is not None or time.time() > deadline:
                    raise SystemExit("nginx did not start: " + open(os.path.join(self.prefix, "stderr.log")).read())
                time.sleep(0.05)

    def offset(self):
        return os.path.getsize(self.access) if os.path.exists(self.access) else 0

    def requests(self, since, port=None, path_suffix="completions"):
        """(start, end) of each completion request logged after byte offset `since`."""
        spans = []
        with open(self.access) as f:
            f.seek(since)
            for line in f:
                parts = line.split()
                if len(parts) < 6 or not parts[4].endswith(path_suffix):
                    continue
                if port is not None and parts[2] != str(port):
                    continue
                end, duration = float(parts[0]), float(parts[1])
                spans.append((end - duration, end, parts[5]))
        return spans

    def first_request(self, since):
        """Start time of the first request of any kind after `since` (model listing counts)."""
        with open(self.access) as f:
            f.seek(since)
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    return float(parts[0]) - float(parts[1])
        return None

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# ---------------------------------------------------------------------------------------------------------------
# Measuring one process


class Measured:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def measure(cmd, env=None, cwd=None, stdout_path=None, label=""):
    """Runs `cmd`, returning wall time, user+sys CPU and peak RSS of the process (wait4), and its spawn time."""
    load = load1()
    stdout = open(stdout_path, "w") if stdout_path else subprocess.DEVNULL
    stderr_path = (stdout_path or os.path.join(SCRATCH, "last")) + ".stderr"
    spawn = time.time()
    t0 = time.monotonic()
    process = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=stdout, stderr=open(stderr_path, "w"))
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - t0
    process.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        stdout.close()
    result = Measured(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024.0,
                      spawn=spawn, status=process.returncode, load=load, stderr=stderr_path)
    log(f"{label}: exit {result.status}, wall {wall:.2f} s, cpu {result.cpu:.2f} s, rss {result.rss_mb:.0f} MB, "
        f"load {load:.2f}")
    if result.status != 0:
        with open(stderr_path) as f:
            tail = f.read()[-3000:]
        log(f"{label} failed:\n{tail}")
    return result


def fresh_dir(*parts):
    path = os.path.join(SCRATCH, *parts)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def run_culturelens(nginx, data, port, concurrency, tag):
    home = fresh_dir("home", tag)  # fresh store: every item is a real request, no cache hits
    out = os.path.join(home, "output")
    env = dict(os.environ, CULTURELENS_HOME=home, OPENAI_API_KEY="EMPTY")
    cmd = [CULTURELENS, "run", "mcq-jsonl", "--data", data, "--model", "fake",
           "--base-url", f"http://127.0.0.1:{port}/v1", "--api", "chat", "--scoring", "generate",
           "--concurrency", str(concurrency), "--output", out]
    since = nginx.offset()
    m = measure(cmd, env=env, stdout_path=os.path.join(home, "stdout.txt"), label=f"culturelens {tag}")
    spans = nginx.requests(since, port=port)
    first = nginx.first_request(since)
    m.startup = (first - m.spawn) if first else None
    m.requests = len(spans)
    m.req_wall = (max(e for _, e, _ in spans) - min(s for s, _, _ in spans)) if spans else None
    m.accuracy = None
    try:
        with open(os.path.join(out, "results.json")) as f:
            m.accuracy = json.load(f)["summary"]["accuracy"]["value"]
    except Exception:
        pass
    COMMANDS.append("CULTURELENS_HOME=<fresh dir> " + " ".join(cmd).replace(data, "<items.jsonl>")
                    .replace(out, "<out>"))
    return m


def run_lmeval(nginx, size, port, concurrency, tag):
    tasks = os.path.join(SCRATCH, "lmeval_tasks")
    out = fresh_dir("lmeval_out", tag)
    env = dict(os.environ, OPENAI_API_KEY="EMPTY", HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1",
               TRANSFORMERS_OFFLINE="1", HF_HOME=os.path.join(SCRATCH, "hf_home"), TOKENIZERS_PARALLELISM="false")
    model_args = (f"model=fake,base_url=http://127.0.0.1:{port}/v1/chat/completions,num_concurrent={concurrency},"
                  "max_retries=3,tokenized_requests=False,tokenizer_backend=None")
    cmd = [LMEVAL, "run", "--model", "local-chat-completions", "--model_args", model_args, "--apply_chat_template",
           "--tasks", f"culturelens_bench_{size}", "--include_path", tasks, "--output_path", out, "--log_samples"]
    since = nginx.offset()
    m = measure(cmd, env=env, stdout_path=os.path.join(out, "stdout.txt"), label=f"lm-eval {tag}")
    spans = nginx.requests(since, port=port)
    first = nginx.first_request(since)
    m.startup = (first - m.spawn) if first else None
    m.requests = len(spans)
    m.req_wall = (max(e for _, e, _ in spans) - min(s for s, _, _ in spans)) if spans else None
    m.accuracy = None
    for dirpath, _, files in os.walk(out):
        for name in files:
            if name.startswith("results") and name.endswith(".json"):
                try:
                    with open(os.path.join(dirpath, name)) as f:
                        results = json.load(f)["results"][f"culturelens_bench_{size}"]
                    m.accuracy = next(v for k, v in results.items() if k.startswith("exact_match,"))
                except Exception:
                    pass
    COMMANDS.append("OPENAI_API_KEY=EMPTY HF_DATASETS_OFFLINE=1 " + " ".join(
        f"'{c}'" if c == model_args else c for c in cmd).replace(out, "<out>").replace(tasks, "<tasks>"))
    return m


def median_run(runs):
    """The run with the median wall time (all runs' walls are kept for the spread)."""
    ok = [r for r in runs if r.status == 0]
    if not ok:
        return runs[-1]
    ordered = sorted(ok, key=lambda r: r.wall)
    chosen = ordered[len(ordered) // 2]
    chosen.walls = [r.wall for r in runs]
    return chosen


# ---------------------------------------------------------------------------------------------------------------
# Sections


def harness_overhead(nginx, rows, notes):
    lmeval_ok = bool(LMEVAL) and not SKIP_LMEVAL
    tasks = fresh_dir("lmeval_tasks")
    datas = {}
    for size in SIZES:
        data = os.path.join(SCRATCH, f"mcq-{size}.jsonl")
        write_items(data, size)
        datas[size] = data
        with open(os.path.join(tasks, f"culturelens_bench_{size}.yaml"), "w") as f:
            f.write(LMEVAL_TASK.format(name=f"culturelens_bench_{size}", data=data))
    # warm-up (page cache, Python bytecode, datasets' arrow cache), not measured
    run_culturelens(nginx, datas[SIZES[0]], PORT, CONCURRENCY, "warmup")
    if lmeval_ok:
        warm = run_lmeval(nginx, SIZES[0], PORT, CONCURRENCY, "warmup")
        if warm.status != 0:
            lmeval_ok = False
            with open(warm.stderr) as f:
                lines = [l for l in f.read().strip().splitlines() if l.strip()]
            notes.append("lm-eval failed: " + (lines[-1] if lines else f"exit {warm.status}"))
    COMMANDS[:] = [c for c in COMMANDS if "<fresh dir>" not in c and "lm_eval" not in c and "lm-eval" not in c]
    ratios = {}
    for size in SIZES:
        cl_runs, lm_runs = [], []
        for r in range(REPEAT):
            cl_runs.append(run_culturelens(nginx, datas[size], PORT, CONCURRENCY, f"n{size}-r{r}"))
            if lmeval_ok:
                lm_runs.append(run_lmeval(nginx, size, PORT, CONCURRENCY, f"n{size}-r{r}"))
        cl = median_run(cl_runs)
        lm = median_run(lm_runs) if lm_runs else None
        why = LMEVAL_WHY if not LMEVAL else ("skipped (BENCH_SKIP_LMEVAL)" if SKIP_LMEVAL else
                                             (notes[-1] if not lmeval_ok and notes else "failed"))
        lm_ok = lm is not None and lm.status == 0

        def pair(fmt, get):
            a = fmt(get(cl)) if cl.status == 0 and get(cl) is not None else "failed"
            b = (fmt(get(lm)) if get(lm) is not None else "n/a") if lm_ok else f"not run: {why}"
            return a, b

        label = f"{size:,} items, 0 ms, c={CONCURRENCY}"
        load = f"{cl.load:.1f}" + (f" / {lm.load:.1f}" if lm_ok else "")
        spread = lambda m: "" if m is None or len(getattr(m, "walls", [])) < 2 else \
            f" ({min(m.walls):.2f}–{max(m.walls):.2f})"
        a, b = pair(lambda v: f"{v:.2f} s", lambda m: m.wall)
        rows.append([label, "whole-process wall (median of %d)" % REPEAT, a + spread(cl),
                     b + (spread(lm) if lm_ok else ""), "", "", load])
        a, b = pair(lambda v: f"{v * 1000:.2f} ms", lambda m: m.cpu / size)
        rows.append([label, "CPU (user+sys) per item", a, b, "", "", load])
        a, b = pair(lambda v: f"{v:.0f} MB", lambda m: m.rss_mb)
        rows.append([label, "peak RSS", a, b, "", "", load])
        a, b = pair(lambda v: f"{v:.3f} s", lambda m: m.startup)
        ok = cl.status == 0 and cl.startup is not None and cl.startup < 0.3
        rows.append([label, "start-up to first request", a, b, "CultureLens < 0.3 s", "PASS" if ok else "MISS", load])
        a, b = pair(lambda v: f"{v:.2f} s", lambda m: m.req_wall)
        rows.append([label, "first request → last response", a, b, "", "", load])
        a, b = pair(lambda v: f"{v:.1%}", lambda m: m.accuracy)
        reqs = f"{cl.requests} req" + (f" / {lm.requests} req" if lm_ok else "")
        rows.append([label, f"accuracy (sanity: both read the fixed 'B'; {reqs})", a, b, "", "", load])
        if lm_ok and cl.status == 0:
            ratio = lm.wall / cl.wall
            ratios[size] = ratio
            previous = ratios.get(SIZES[0]) if size != SIZES[0] else None
            if previous is None:
                target, ok = "≥ 10×", ratio >= 10
            else:
                target, ok = f"≥ 10× and > {previous:.1f}× ({SIZES[0]:,})", ratio >= 10 and ratio > previous
            rows.append([label, "lm-eval / CultureLens wall-time ratio", f"{ratio:.1f}×", "", target,
                         "PASS" if ok else "MISS", load])
        else:
            rows.append([label, "lm-eval / CultureLens wall-time ratio", "n/a", f"not run: {why}", "≥ 10×",
                         "MISS (no lm-eval figure)", load])


def latency_bound(nginx, rows, notes):
    data = os.path.join(SCRATCH, f"mcq-lat-{LATENCY_ITEMS}.jsonl")
    write_items(data, LATENCY_ITEMS, seed=7)
    m = run_culturelens(nginx, data, DELAY_PORT, LATENCY_CONCURRENCY, f"latency-{LATENCY_ITEMS}")
    ideal = LATENCY_CONCURRENCY / DELAY
    label = f"{LATENCY_ITEMS:,} items, 200 ms, c={LATENCY_CONCURRENCY}"
    if m.status != 0 or not m.req_wall:
        rows.append([label, "achieved rate / ideal 320/s", "failed", "", "≥ 97%", "MISS", f"{m.load:.1f}"])
        return
    rate = m.requests / m.req_wall
    share = rate / ideal
    rows.append([label, f"achieved rate over the requests' wall time ({m.requests} req in {m.req_wall:.2f} s)",
                 f"{rate:.1f}/s = {share:.1%} of {ideal:.0f}/s", "", "≥ 97%", "PASS" if share >= 0.97 else "MISS",
                 f"{m.load:.1f}"])
    rows.append([label, "whole-process wall (ideal: items/320 s)", f"{m.wall:.2f} s (ideal {LATENCY_ITEMS / ideal:.2f} s)",
                 "", "", "", f"{m.load:.1f}"])


class FaultyServer:
    """An OpenAI-compatible chat endpoint in a thread (HTTP/1.1 keep-alive) answering after STALL_LATENCY. With
    `faulty`, the first arrival of every 50th distinct request body (offset 7, 17, 27, 37, 47) gets a fault: a 429
    with Retry-After 1, a 503, a connection reset, a truncated body, or acceptance without any answer (the
    connection stays open until the server stops). A repeated body (a retry or a hedge) is answered normally."""

    def __init__(self, port, faulty):
        import http.server
        import socketserver
        import threading
        seen, lock, stop = {}, threading.Lock(), threading.Event()
        self.stop_event = stop
        self.faults = {"429": 0, "503": 0, "reset": 0, "truncated": 0, "stall": 0}
        faults = self.faults
        body = CHAT_JSON.encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def answer(self, status, payload, extra=()):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in extra:
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                self.answer(200, MODELS_JSON.encode())

            def do_POST(self):
                request = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with lock:
                    first = request not in seen
                    if first:
                        seen[request] = len(seen) + 1
                    arrival = seen[request]
                fault = {7: "429", 17: "503", 27: "reset", 37: "truncated", 47: "stall"}.get(arrival % 50) \
                    if faulty and first else None
                if fault:
                    with lock:
                        faults[fault] += 1
                if fault == "stall":
                    stop.wait()
                    self.close_connection = True
                    return
                time.sleep(STALL_LATENCY)
                if fault == "429":
                    self.answer(429, b'{"error":{"message":"slow down","type":"rate_limit"}}', [("Retry-After", "1")])
                elif fault == "503":
                    self.answer(503, b'{"error":{"message":"overloaded","type":"server_error"}}')
                elif fault == "reset":
                    self.close_connection = True
                    self.connection.shutdown(2)
                elif fault == "truncated":
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                else:
                    self.answer(200, body)

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 256

        self.server = Server(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()


def stalling_endpoint(rows, notes):
    """Issue 17's tail-tolerance row: the same run against a fault-free and a faulty endpoint (stalls included)."""
    data = os.path.join(SCRATCH, f"mcq-stall-{STALL_ITEMS}.jsonl")
    write_items(data, STALL_ITEMS, seed=11)
    label = f"{STALL_ITEMS:,} items, {STALL_LATENCY * 1000:.0f} ms, c={CONCURRENCY}, 10% faults"
    runs = {}
    variants = [("fault-free", False, []), ("faulty", True, [])]
    if not QUICK:
        variants.append(("faulty, --hedge off", True, ["--hedge", "off"]))
    for name, faulty, extra in variants:
        server = FaultyServer(STALL_PORT, faulty)
        try:
            home = fresh_dir("home", "stall-" + name.replace(" ", "").replace(",", "-"))
            out = os.path.join(home, "output")
            env = dict(os.environ, CULTURELENS_HOME=home, OPENAI_API_KEY="EMPTY")
            cmd = [CULTURELENS, "run", "mcq-jsonl", "--data", data, "--model", "fake",
                   "--base-url", f"http://127.0.0.1:{STALL_PORT}/v1", "--api", "chat", "--scoring", "generate",
                   "--concurrency", str(CONCURRENCY), "--no-card", "--output", out] + extra
            m = measure(cmd, env=env, stdout_path=os.path.join(home, "stdout.txt"), label=f"stall {name}")
            COMMANDS.append("CULTURELENS_HOME=<fresh dir> " + " ".join(cmd).replace(data, "<items.jsonl>")
                            .replace(out, "<out>") + f"   # {name} endpoint")
            with open(m.stderr) as f:
                m.hedging = next((l.strip() for l in f if l.startswith("hedging: ")), "")
            try:
                with open(os.path.join(out, "samples.jsonl")) as f:
                    lines = [json.loads(l) for l in f if l.strip()]
                m.saved = len({l["item_id"] for l in lines})
                m.failed = sum(1 for l in lines if l.get("error"))
            except Exception:
                m.saved, m.failed = None, None
            m.faults = dict(server.faults)
            runs[name] = m
        finally:
            server.close()
    base, faulty = runs["fault-free"], runs["faulty"]
    for name, m in runs.items():
        detail = f"{m.wall:.2f} s, {m.saved} of {STALL_ITEMS} items saved, {m.failed} failed"
        if m is not base:
            detail += ", faults " + ", ".join(f"{k} {v}" for k, v in m.faults.items())
        if m.hedging:
            detail += "; " + m.hedging
        rows.append([label, f"whole-process wall, {name} endpoint", detail if m.status == 0 else "failed", "", "", "",
                     f"{m.load:.1f}"])
    ok = base.status == 0 and faulty.status == 0 and faulty.saved == STALL_ITEMS and faulty.failed == 0
    ratio = faulty.wall / base.wall if ok else None
    rows.append([label, "faulty / fault-free wall (every item saved once, none failed)",
                 f"{ratio:.1f}×" if ratio else "failed", "", "≤ 3×", "PASS" if ratio and ratio <= 3 else "MISS",
                 f"{faulty.load:.1f}"])


def real_model(rows, notes):
    label = "starter suite, local Gemma 3 270M"
    home = fresh_dir("home", "real")
    out1, out2 = os.path.join(home, "cold"), os.path.join(home, "cached")
    env = dict(os.environ, CULTURELENS_HOME=home)
    cmd = [CULTURELENS, "run", "starter", "--model", "local"]
    cold = measure(cmd + ["--output", out1], env=env, cwd=ROOT, stdout_path=os.path.join(home, "cold.txt"),
                   label="real cold")
    if cold.status != 0:
        with open(cold.stderr) as f:
            tail = [l for l in f.read().splitlines() if l.strip()]
        rows.append([label, "share of wall time outside the model server", "failed: " + (tail[-1] if tail else ""),
                     "", "", "", f"{cold.load:.1f}"])
        return
    cached = measure(cmd + ["--output", out2], env=env, cwd=ROOT, stdout_path=os.path.join(home, "cached.txt"),
                     label="real cached")
    COMMANDS.append("CULTURELENS_HOME=<fresh dir> " + " ".join(cmd) + " --output <dir>   # twice: cold, then cached")
    server = parse_llama_log(out1)
    load = f"{cold.load:.1f} / {cached.load:.1f}"
    rows.append([label, "wall: cold (fresh store) / second run (every item from the cache)",
                 f"{cold.wall:.2f} s / {cached.wall:.2f} s", "", "", "", load])
    rows.append([label, "harness share (cached-run wall / cold wall)", f"{cached.wall / cold.wall:.1%}", "",
                 "", "", load])
    if server:
        busy = server["busy"]
        outside = cold.wall - busy
        rows.append([label, f"share of cold wall outside model compute (llama.cpp prompt+eval time "
                            f"{busy:.2f} s over {server['requests']} req; includes server start-up and its HTTP layer)",
                     f"{outside / cold.wall:.1%} ({outside:.2f} s)", "", "", "", load])
    else:
        notes.append("real model: no per-request timings found in llama-server.log")


def parse_llama_log(run_dir):
    """Model compute in llama-server.log: the sum of llama_perf_context_print's 'prompt eval time' and 'eval time'
    over all requests ('total time' is not used: it counts from the context's last reset, idle time included)."""
    path = None
    for dirpath, _, files in os.walk(run_dir):
        if "llama-server.log" in files:
            path = os.path.join(dirpath, "llama-server.log")
    if path is None:
        return None
    import re
    pattern = re.compile(r"llama_perf_context_print:\s*(prompt eval|eval) time\s*=\s*([0-9.]+)\s*ms")
    busy, requests = 0.0, 0
    with open(path, errors="replace") as f:
        for line in f:
            match = pattern.search(line)
            if match:
                busy += float(match.group(2)) / 1000.0
                requests += match.group(1) == "prompt eval"
    return {"busy": busy, "requests": requests, "path": path} if requests else None


def store_bench(rows, notes):
    label = f"store + report, {STORE_COUNT:,} samples"
    work = fresh_dir("store")
    db = os.path.join(work, "culturelens.sqlite")
    out = os.path.join(work, "run")
    w = measure([STORE_BIN, "write", db, str(STORE_COUNT), "32"], stdout_path=os.path.join(work, "write.json"),
                label="store write")
    e = measure([STORE_BIN, "export", db, str(STORE_COUNT), out], stdout_path=os.path.join(work, "export.json"),
                label="store read+export")
    mem_out = os.path.join(work, "run-memory")
    m = measure([STORE_BIN, "export-memory", db, str(STORE_COUNT), mem_out],
                stdout_path=os.path.join(work, "export-memory.json"), label="store read+export (in memory)")
    html = os.path.join(work, "report.html")
    r = measure([CULTURELENS, "report", out, "--output", html], stdout_path=os.path.join(work, "report.txt"),
                label="report")
    COMMANDS.append(f".build-bench-rel/release/CultureLensBench write <db> {STORE_COUNT} 32")
    COMMANDS.append(f".build-bench-rel/release/CultureLensBench export <db> {STORE_COUNT} <run-dir>")
    COMMANDS.append(f".build-bench-rel/release/CultureLensBench export-memory <db> {STORE_COUNT} <run-dir-2>")
    COMMANDS.append("culturelens report <run-dir> --output <report.html>")
    if w.status != 0 or e.status != 0:
        rows.append([label, "store", "failed", "", "", "", f"{w.load:.1f}"])
        return
    wj = json.load(open(os.path.join(work, "write.json")))
    ej = json.load(open(os.path.join(work, "export.json")))
    size = os.path.getsize(db) + (os.path.getsize(db + "-wal") if os.path.exists(db + "-wal") else 0)
    rows.append([label, "write through SQLiteResultStore (32 in flight, 1 txn/result + response)",
                 f"{wj['write_s']:.2f} s ({wj['writes_per_s']:,.0f}/s), {size / 1e6:.0f} MB file", "", "", "",
                 f"{w.load:.1f}"])
    rows.append([label, "peak RSS: write process", f"{w.rss_mb:.0f} MB", "", "< 150 MB",
                 "PASS" if w.rss_mb < 150 else "MISS", f"{w.load:.1f}"])
    rows.append([label, "read back + results.json + samples.jsonl, streamed a page at a time (RunReport.write(run:suite:store:))",
                 f"{ej['export_s']:.2f} s, {os.path.getsize(os.path.join(out, 'samples.jsonl')) / 1e6:.0f} MB",
                 "", "", "", f"{e.load:.1f}"])
    rows.append([label, "peak RSS: read + export process (streamed)", f"{e.rss_mb:.0f} MB", "", "< 150 MB",
                 "PASS" if e.rss_mb < 150 else "MISS", f"{e.load:.1f}"])
    if m.status == 0:
        mj = json.load(open(os.path.join(work, "export-memory.json")))
        same = all(filecmp.cmp(os.path.join(out, name), os.path.join(mem_out, name), shallow=False)
                   for name in ("results.json", "samples.jsonl"))
        rows.append([label, "in memory, one full read-back (the old run --output path): results(runID:) / write"
                     + ("" if same else " (FILES DIFFER from the streamed export)"),
                     f"{mj['read_s']:.2f} s / {mj['export_s']:.2f} s", "", "", "", f"{m.load:.1f}"])
        rows.append([label, "peak RSS: read + export process (in memory)", f"{m.rss_mb:.0f} MB", "", "", "",
                     f"{m.load:.1f}"])
    if r.status != 0:
        rows.append([label, "culturelens report", "failed", "", "< 5 s", "MISS", f"{r.load:.1f}"])
        return
    rows.append([label, f"`culturelens report` wall ({os.path.getsize(html) / 1e6:.1f} MB HTML)", f"{r.wall:.2f} s",
                 "", "< 5 s", "PASS" if r.wall < 5 else "MISS", f"{r.load:.1f}"])
    rows.append([label, "`culturelens report` peak RSS", f"{r.rss_mb:.0f} MB", "", "< 150 MB",
                 "PASS" if r.rss_mb < 150 else "MISS", f"{r.load:.1f}"])


# ---------------------------------------------------------------------------------------------------------------


def table(rows):
    header = ["scenario", "measurement", "CultureLens", "lm-eval", "target", "result", "load1"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
    return "\n".join(lines)


def machine():
    cpus = os.cpu_count()
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    model = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    return f"{cpus} cores ({model}), {mem:.0f} GiB; {swift[0] if swift else 'swift ?'}; uptime: {uptime}"


def main():
    os.makedirs(SCRATCH, exist_ok=True)
    os.makedirs(RESULTS, exist_ok=True)
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    before = machine()
    rows, notes = [], []
    sections = os.environ.get("BENCH_SECTIONS", "overhead latency stall real store").split()
    nginx = Nginx() if ("overhead" in sections or "latency" in sections) else None
    try:
        if "overhead" in sections:
            harness_overhead(nginx, rows, notes)
        if "latency" in sections:
            latency_bound(nginx, rows, notes)
    finally:
        if nginx:
            nginx.stop()
    if "stall" in sections:
        stalling_endpoint(rows, notes)
    if "real" in sections:
        if SKIP_REAL:
            rows.append(["starter suite, local Gemma", "share outside the model server", "skipped (BENCH_SKIP_REAL)",
                         "", "", "", ""])
        else:
            real_model(rows, notes)
    if "store" in sections:
        store_bench(rows, notes)
    after = machine()
    text = table(rows)
    print(text)
    for note in notes:
        print(f"note: {note}")
    # a smoke run (BENCH_QUICK) never overwrites the committed full-size summary
    result_file = os.path.join(RESULTS, "quick.md" if QUICK else "latest.md")
    with open(result_file, "w") as f:
        f.write(f"# CultureLens benchmark results ({started})\n\n")
        f.write(f"Settings: sizes {SIZES}, repeat {REPEAT}, latency items {LATENCY_ITEMS}, store samples "
                f"{STORE_COUNT:,}{', BENCH_QUICK' if QUICK else ''}.\n\n")
        f.write(f"Machine before: {before}\n\nMachine after: {after}\n\n")
        f.write(text + "\n\n")
        for note in notes:
            f.write(f"- note: {note}\n")
        f.write("\nCommands:\n\n```sh\n" + "\n".join(dict.fromkeys(COMMANDS)) + "\n```\n")
    log(f"wrote {os.path.relpath(result_file, ROOT)}")


if __name__ == "__main__":
    main()
