"""Writes the Parquet fixtures of ParquetReaderTests.swift (invented rows; no dataset row is copied).

Run with pyarrow installed, from anywhere:

    python3 -m venv /tmp/pq && /tmp/pq/bin/pip install pyarrow
    /tmp/pq/bin/python Tests/CultureLensCoreTests/Fixtures/parquet/make_fixtures.py

The .parquet files are committed, so the Swift tests do not need pyarrow. The expected values are hard-coded in
ParquetReaderTests.swift: change both together.
"""

import datetime
import os

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))

# The Global-MMLU column schema (the Hub's `en/test-00000-of-00001.parquet`): strings, and a boolean
# `is_annotated`. Six invented rows: nulls in the optional columns, an empty string, Arabic, Japanese and emoji.
GMMLU_COLUMNS = [
    "sample_id", "subject", "subject_category", "question", "option_a", "option_b", "option_c", "option_d",
    "answer", "required_knowledge", "time_sensitive", "reference", "culture", "region", "country",
    "cultural_sensitivity_label", "is_annotated",
]

GMMLU_ROWS = [
    ["world_religions/test/0", "world_religions", "Humanities",
     "Which month of the Islamic calendar is the month of fasting?",
     "Ramadan", "Muharram", "Shawwal", "Rajab", "A", "cultural", "No", None, "Arab", "Middle East", None,
     "CS", True],
    ["world_religions/test/1", "world_religions", "Humanities",
     "What is usually said in Japan before eating, as in 「いただきます」?",
     "Itadakimasu", "Oyasumi", "Ittekimasu", "Tadaima", "A", "cultural", "No", None, "Japanese", "Asia", "Japan",
     "CS", True],
    ["elementary_mathematics/test/2", "elementary_mathematics", "STEM",
     "How many 🍎 are in 3 baskets of 4 🍎 each?",
     "7", "12", "34", "1", "B", "none", "No", None, None, None, None, "CA", False],
    ["college_physics/test/3", "college_physics", "STEM",
     "What is the SI unit of electric charge?",
     "Volt", "Ampere", "Coulomb", "Ohm", "C", "none", "No", "https://example.org/si", None, None, None,
     "CA", None],
    ["high_school_geography/test/4", "high_school_geography", "Social Sciences",
     "Which sea borders Egypt to the north?",
     "The Red Sea", "The Black Sea", "The Caspian Sea", "The Mediterranean Sea", "D", "regional", "No", None, "",
     "Africa", "Egypt", "CS", True],
    ["high_school_geography/test/5", "high_school_geography", "Social Sciences",
     "ما هي عاصمة المغرب؟",
     "الرباط", "فاس", "مراكش", "طنجة", "A", "regional", "Yes", None, "Maghrebi", "Africa", "Morocco",
     "CS", False],
]


def gmmlu_table():
    columns = list(zip(*GMMLU_ROWS))
    arrays = [pa.array(list(values), type=pa.bool_() if name == "is_annotated" else pa.string())
              for name, values in zip(GMMLU_COLUMNS, columns)]
    return pa.table(arrays, names=GMMLU_COLUMNS)


def types_table():
    long_text = "ありがとう " * 50 + "end"
    schema = pa.schema([
        pa.field("id", pa.int64(), nullable=False),
        pa.field("i32", pa.int32()),
        pa.field("i64", pa.int64()),
        pa.field("f32", pa.float32()),
        pa.field("f64", pa.float64()),
        pa.field("flag", pa.bool_()),
        pa.field("text", pa.string()),
        pa.field("tags", pa.list_(pa.string())),
        pa.field("scores", pa.list_(pa.int64())),
        pa.field("point", pa.struct([("x", pa.int32()), ("y", pa.string())])),
        pa.field("day", pa.date32()),
        pa.field("raw", pa.binary()),
        pa.field("fixed", pa.binary(3)),
    ])
    data = {
        "id": [0, 1, 2, 3, 4],
        "i32": [1, -2, None, 2147483647, -2147483648],
        "i64": [0, -1, 1234567890123, None, -5],
        "f32": [1.5, None, -0.25, 0.1, 0.0],
        "f64": [0.1, -2.5e-300, None, 1e300, 3.0],
        "flag": [True, False, None, True, False],
        "text": ["👋🏽 hello", "日本語", "", None, long_text],
        "tags": [["a", "b"], [], None, ["日本", None], ["x"]],
        "scores": [[1, 2, 3], None, [], [4], [None, 5]],
        "point": [{"x": 1, "y": "p"}, None, {"x": 3, "y": None}, {"x": 4, "y": "q"}, None],
        "day": [datetime.date(1970, 1, 1), datetime.date(2024, 2, 29), None, datetime.date(1969, 12, 31),
                datetime.date(2000, 1, 1)],
        "raw": [b"\x00\xff", b"abc", None, b"", b"\xe2\x82"],
        "fixed": [b"abc", b"\x01\x02\x03", None, b"xyz", b"\xff\xfe\xfd"],
    }
    return pa.table(data, schema=schema)


def pages_table():
    # 300 rows in 3 row groups, written with tiny pages so each column chunk has several pages, and a tiny
    # dictionary limit so the writer falls back from dictionary to plain pages mid-chunk.
    n = 300
    return pa.table({
        "n": pa.array(range(n), type=pa.int64()),
        "word": pa.array([f"w{i % 37}-語" if i % 11 != 0 else None for i in range(n)], type=pa.string()),
        "flag": pa.array([i % 3 == 0 for i in range(n)], type=pa.bool_()),
    })


def mcq_table():
    # The built-in `mcq-jsonl` spec's columns, with the options as a list column.
    return pa.table({
        "id": ["p1", "p2", "p3"],
        "question": [
            "Which dish is rice cooked in coconut milk, eaten for breakfast in Malaysia?",
            "في أي مدينة يقع برج خليفة؟",
            "🎍 Kadomatsu decorations are put up for which holiday?",
        ],
        "choices": pa.array([["Nasi lemak", "Pho", "Paella"], ["دبي", "الدوحة", "مسقط", "الرياض"],
                             ["Obon", "New Year"]], type=pa.list_(pa.string())),
        "answer": pa.array([0, 0, 1], type=pa.int64()),
        "culture": ["Malaysia", "United Arab Emirates", None],
        "topic": ["food", None, "festivals"],
    })


def write(name, table, **options):
    path = os.path.join(HERE, name)
    pq.write_table(table, path, **options)
    print(f"{name}: {os.path.getsize(path)} bytes")


def main():
    gmmlu = gmmlu_table()
    # pyarrow's defaults, as the Hub's files are written: Snappy, dictionary encoding, data page v1.
    write("gmmlu-snappy-dict.parquet", gmmlu)
    write("gmmlu-plain-uncompressed.parquet", gmmlu, compression="none", use_dictionary=False)
    write("gmmlu-v2-rowgroups.parquet", gmmlu, data_page_version="2.0", row_group_size=2)
    types = types_table()
    write("types-v1-snappy.parquet", types)
    write("types-v2-plain.parquet", types, data_page_version="2.0", use_dictionary=False, compression="none")
    write("pages.parquet", pages_table(), row_group_size=120, data_page_size=64, write_batch_size=16,
          dictionary_pagesize_limit=96)
    write("mcq-items.parquet", mcq_table())
    write("gzip.parquet", gmmlu.slice(0, 2), compression="gzip")


if __name__ == "__main__":
    main()
