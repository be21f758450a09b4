#!/usr/bin/env python3
"""Validates Every Eval Ever files against the JSON schemas inside the every-eval-ever wheel.

Usage: validate-eee.py WHEEL FILE...

Each `*_samples.jsonl` file is checked line by line against `instance_level_eval.schema.json`; every other file
against `eval.schema.json`. The schemas are read from the wheel (a zip) and never copied. Prints one line per
problem (`FILE[:LINE]: PATH: MESSAGE`) and exits 1 if there was any, else prints `valid: N records` and exits 0.
Needs the `jsonschema` package (installed into .venv by `make setup`).
"""
import json
import sys
import zipfile

import jsonschema


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with zipfile.ZipFile(argv[1]) as wheel:
        aggregate = json.loads(wheel.read("every_eval_ever/schemas/eval.schema.json"))
        instance = json.loads(wheel.read("every_eval_ever/schemas/instance_level_eval.schema.json"))
    validators = {
        "aggregate": jsonschema.Draft7Validator(aggregate, format_checker=jsonschema.FormatChecker()),
        "instance": jsonschema.Draft7Validator(instance, format_checker=jsonschema.FormatChecker()),
    }
    problems = 0
    records = 0
    for path in argv[2:]:
        if path.endswith("_samples.jsonl"):
            with open(path, encoding="utf-8") as handle:
                documents = [(f"{path}:{number}", json.loads(line))
                             for number, line in enumerate(handle, start=1) if line.strip()]
            validator = validators["instance"]
        else:
            with open(path, encoding="utf-8") as handle:
                documents = [(path, json.load(handle))]
            validator = validators["aggregate"]
        for where, document in documents:
            records += 1
            for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
                problems += 1
                location = "/".join(str(part) for part in error.absolute_path) or "(root)"
                print(f"{where}: {location}: {error.message}")
    if problems:
        return 1
    print(f"valid: {records} records")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
