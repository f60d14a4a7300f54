"""Reads the gafail lab with boto3, as LabClientsTest asks.

Standard input: a JSON array of reads, each {"service", "operation", "region", "endpoint", "input"}, the
operation as AWS names it (DescribeAlarms) and its input as boto3 takes it. Standard output: a JSON
array of their outputs in the same order, timestamps in ISO 8601; a call the service refused is
{"Error": {"Code": ...}}. Credentials and the rest come from the environment the test sets.
"""
import json
import sys

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError

# One attempt, as every client in the test makes.
CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 1})


def read(session, call):
    client = session.client(call["service"], region_name=call["region"], endpoint_url=call["endpoint"],
                            config=CONFIG)
    try:
        output = getattr(client, xform_name(call["operation"]))(**call["input"])
    except ClientError as error:
        return {"Error": {"Code": error.response["Error"]["Code"]}}
    output.pop("ResponseMetadata", None)
    return output


def main():
    session = boto3.session.Session()
    outputs = [read(session, call) for call in json.load(sys.stdin)]
    json.dump(outputs, sys.stdout, default=lambda value: value.isoformat())


if __name__ == "__main__":
    main()
