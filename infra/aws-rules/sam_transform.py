"""Expands template.yaml exactly as `sam deploy` has CloudFormation expand it: the installed
aws-sam-translator (the library behind AWS::Serverless-2016-10-31) turns every function, state
machine and event into plain CloudFormation, with the IAM roles and the policy documents its
policy templates produce. The tests resolve the result's intrinsics and hand the policies to an
IAM evaluator, and run AWS's CloudFormation Guard rules on it.

usage: python3 sam_transform.py TEMPLATE PARAMETERS_JSON > transformed.json
PARAMETERS_JSON holds the template parameters and the pseudo parameters (AWS::Region, ...).
"""
import json
import os
import sys

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies:
    """The template names no AWS managed policy by name (only SAM's own basic execution role,
    which SAM adds by ARN), so there is nothing to look up in IAM."""

    def load(self):
        return {}


def main(template_path, parameters_path):
    with open(template_path, encoding="utf-8") as f:
        template = yaml_parse(f.read())
    with open(parameters_path, encoding="utf-8") as f:
        parameters = json.load(f)
    # sam build/package replace local code folders with S3 locations before the transform;
    # the translator refuses a local path, and where the code lies changes no policy.
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            props["CodeUri"] = "s3://sam-artifacts/" + props["CodeUri"].strip("./") + "code.zip"
        if resource.get("Type") == "AWS::Serverless::StateMachine" and isinstance(props.get("DefinitionUri"), str):
            props["DefinitionUri"] = "s3://sam-artifacts/" + props["DefinitionUri"]
    # The translator reads the region for its pseudo parameters from the environment.
    os.environ.setdefault("AWS_DEFAULT_REGION", parameters.get("AWS::Region", "eu-central-1"))
    transformed = transform(template, parameters, NoManagedPolicies())
    json.dump(transformed, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
