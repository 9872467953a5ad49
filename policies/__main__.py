"""The policy pack: only assembles the rules of `anyscale_infra.policy` (constructing a
PolicyPack starts the analyzer server and blocks, so rules live in the importable package).

    pulumi preview --policy-pack policies [--policy-pack-config policy-config.json]
"""

from pulumi_policy import PolicyPack

from anyscale_infra.policy import ALL_POLICIES, PACK_NAME

PolicyPack(name=PACK_NAME, policies=ALL_POLICIES)
