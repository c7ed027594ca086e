"""Validates GraphQL documents against GitHub's published schema.

Usage: python validate_graphql.py SCHEMA DOCUMENT...
Exits non-zero and names the document, line and column of every error.
"""
import sys

from graphql import build_schema, parse, validate, GraphQLError


def main() -> int:
    schema_path, docs = sys.argv[1], sys.argv[2:]
    if not docs:
        print("no GraphQL documents given", file=sys.stderr)
        return 1
    with open(schema_path, encoding="utf-8") as f:
        # GitHub's published schema defines a few fields twice, which strict
        # SDL validation rejects; the documents are still validated in full.
        schema = build_schema(f.read(), assume_valid_sdl=True)
    # It also breaks a schema rule (deprecated implementations of
    # non-deprecated interface fields). graphql-core caches the result of
    # schema validation in this attribute; recording "no errors" lets the
    # documents be validated against the schema as GitHub serves it.
    schema._validation_errors = []
    failed = 0
    for path in docs:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            errors = validate(schema, parse(text))
        except GraphQLError as e:
            errors = [e]
        for e in errors:
            where = ", ".join(f"{l.line}:{l.column}" for l in (e.locations or []))
            print(f"{path}:{where}: {e.message}", file=sys.stderr)
        failed += bool(errors)
        if not errors:
            print(f"ok  {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
