"""Facts about Anyscale that hold on every cloud, each with its source.

The cloud-specific ones live with their cloud (``anyscale_infra/aws/constants.py``, ...).
"seed 004" is Anyscale's AWS page (shared/seeds/004_*.txt), whose CORS and port
requirements the other clouds' pages repeat (seed 003 for Azure).
"""

from __future__ import annotations

from typing import Final

# --- Control plane ----------------------------------------------------------------------------
#: AWS account of Anyscale's control plane: the principal an AWS cloud's cross-account role
#: trusts (seed 004), and the account a GCP cloud's workload identity federation admits.
ANYSCALE_CONTROL_PLANE_AWS_ACCOUNT_ID: Final = "525325868955"

# --- Object storage CORS: what the Anyscale console needs to read the cloud's bucket ---------
#: seed 004 "S3" (and seed 003 for Blob Storage): the console's origin ...
ANYSCALE_CORS_ORIGIN: Final = "https://*.anyscale.com"
#: ... the methods and headers it uses ...
ANYSCALE_CORS_ALLOWED_METHODS: Final = ("GET", "PUT", "POST", "HEAD", "DELETE")
ANYSCALE_CORS_ALLOWED_HEADERS: Final = ("*",)
#: ... and, beyond the seed's empty list, the headers the console's file viewer reads
#: (ranges): `cloud register`'s verifier warns unless they are exposed.
ANYSCALE_CORS_EXPOSE_HEADERS: Final = ("Accept-Ranges", "Content-Range", "Content-Length")

# --- Tags and ports ------------------------------------------------------------------------
#: Tag (label) Anyscale puts on everything it launches for a cloud; scoped policies key on it.
CLOUD_ID_TAG_KEY: Final = "anyscale-cloud-id"
#: Clients reach clusters on 443 (web UIs, job submission, Grafana); 22 for VS Code desktop.
HTTPS_PORT: Final = 443
SSH_PORT: Final = 22
