"""Benchmark baseline: what examples/gcp-direct creates, written by hand with pulumi_gcp.

The same 35 custom resources (same types, counts, logical names and inputs, as literals
where ours compute them; labels where ours have them), the same references between them,
``depends_on`` the APIs, ``protect`` and ``deleted_with`` where ours set them. No
components, no validation, no register command: the floor our components' overhead is
measured against (benchmarks/run.py checks that both previews declare the same resources).
"""

import pulumi
import pulumi_gcp as gcp

PROJECT = "acme-ml-prod"
REGION = "us-central1"
ORG_ID = "org_previewOnly0000000000"
ANYSCALE_ROLE = "arn:aws:sts::525325868955:assumed-role/gcp_if_" + ORG_ID
LABELS = {"managed-by": "anyscale-infra"}

apis = [
    "certificatemanager", "cloudresourcemanager", "compute", "config", "deploymentmanager", "file", "iam",
    "iamcredentials", "serviceusage", "storage", "storage-component", "sts",
]
services = [
    gcp.projects.Service(f"anyscale-{api}", service=f"{api}.googleapis.com", project=PROJECT,
                         disable_on_destroy=False, disable_dependent_services=False)
    for api in apis
]
after_apis = pulumi.ResourceOptions(depends_on=services)

# Network: a custom-mode VPC and one regional subnet.
vpc = gcp.compute.Network("anyscale-vpc", project=PROJECT, auto_create_subnetworks=False,
                          description="Anyscale cloud VPC", opts=after_apis)
subnet = gcp.compute.Subnetwork(
    "anyscale-subnet", network=vpc.id, ip_cidr_range="10.0.0.0/20", region=REGION, project=PROJECT,
    private_ip_google_access=True, description="Anyscale cloud: cluster subnet", opts=after_apis,
)

# Firewall: a network firewall policy, associated with the VPC, three rules.
policy = gcp.compute.NetworkFirewallPolicy(
    "anyscale-policy", project=vpc.project,
    description="Anyscale cloud: internal traffic, Google load balancers, HTTPS from users", opts=after_apis,
)
gcp.compute.NetworkFirewallPolicyAssociation("anyscale-association", firewall_policy=policy.name,
                                             attachment_target=vpc.id, project=vpc.project, opts=after_apis)
in_policy = pulumi.ResourceOptions(depends_on=services, deleted_with=policy)
for key, priority, description, sources, layer4 in (
    ("internal", 1000, ("All traffic within the cloud subnet: Ray, object transfers, Filestore (verifier: "
                        "internal communication)"), [subnet.ip_cidr_range], {"ip_protocol": "all"}),
    ("health-checks", 1100, ("Google load balancer health checks and front ends to Anyscale Services (verifier: "
                             "shared VPC)"), ["35.191.0.0/16", "130.211.0.0/22"],
     {"ip_protocol": "tcp", "ports": ["8000"]}),
    ("https", 1300, "HTTPS from users: Anyscale web UIs, job submission, Grafana", ["203.0.113.0/24"],
     {"ip_protocol": "tcp", "ports": ["443"]}),
):
    gcp.compute.NetworkFirewallPolicyRule(
        f"anyscale-{key}", firewall_policy=policy.name, project=vpc.project, rule_name=f"anyscale-{key}",
        description=description, priority=priority, direction="INGRESS", action="allow", enable_logging=False,
        match={"src_ip_ranges": sources, "layer4_configs": [layer4]}, opts=in_policy,
    )

# Identity: workload identity federation for Anyscale's control plane, two service accounts.
pool = gcp.iam.WorkloadIdentityPool(
    "anyscale-pool", project=PROJECT, workload_identity_pool_id="anyscale-access-pool",
    display_name="Anyscale control plane",
    description="Anyscale's control plane (AWS account 525325868955) acting in this project", opts=after_apis,
)
gcp.iam.WorkloadIdentityPoolProvider(
    "anyscale-provider", project=PROJECT, workload_identity_pool_id=pool.workload_identity_pool_id,
    workload_identity_pool_provider_id="anyscale-access", display_name="Anyscale control plane",
    description=f"Anyscale's AWS role gcp_if_<org id> for organization {ORG_ID}, and only that role",
    aws={"account_id": "525325868955"},
    attribute_mapping={
        "google.subject": "assertion.arn",
        "attribute.aws_role": "assertion.arn.contains('assumed-role') ? assertion.arn.extract('{account_arn}"
        "assumed-role/') + 'assumed-role/' + assertion.arn.extract('assumed-role/{role_name}/') : assertion.arn",
        "attribute.arn": "assertion.arn",
    },
    attribute_condition=f'attribute.aws_role == "{ANYSCALE_ROLE}" && google.subject.startsWith("{ANYSCALE_ROLE}/")',
    opts=pulumi.ResourceOptions(depends_on=services, deleted_with=pool),
)
access = gcp.serviceaccount.Account(
    "anyscale-access", project=PROJECT, account_id="anyscale-access", display_name="Anyscale access (control plane)",
    description="Impersonated by Anyscale's control plane through workload identity federation", opts=after_apis,
)
on_access = pulumi.ResourceOptions(depends_on=services, deleted_with=access)
gcp.serviceaccount.IAMMember(
    "anyscale-access-workload-identity-user", service_account_id=access.name, role="roles/iam.workloadIdentityUser",
    member=pool.name.apply(lambda name: f"principalSet://iam.googleapis.com/{name}/attribute.aws_role/{ANYSCALE_ROLE}"),
    opts=on_access,
)
gcp.serviceaccount.IAMMember("anyscale-access-token-creator", service_account_id=access.name,
                             role="roles/iam.serviceAccountTokenCreator", member=access.member, opts=on_access)
role = gcp.projects.IAMCustomRole(
    "anyscale-access-role", project=PROJECT, role_id="anyscale_access", title="Anyscale access (control plane)",
    description="Least-privilege role of Anyscale's control plane (anyscale_infra.gcp.roles)", stage="GA",
    permissions="""
    certificatemanager.certmapentries.create certificatemanager.certmapentries.delete
    certificatemanager.certmapentries.get certificatemanager.certmaps.create
    certificatemanager.certmaps.delete certificatemanager.certmaps.get certificatemanager.certmaps.list
    certificatemanager.certmaps.use certificatemanager.certs.create certificatemanager.certs.delete
    certificatemanager.certs.get certificatemanager.certs.use
    certificatemanager.dnsauthorizations.create certificatemanager.dnsauthorizations.delete
    certificatemanager.dnsauthorizations.get certificatemanager.dnsauthorizations.use
    certificatemanager.operations.get compute.acceleratorTypes.list compute.backendServices.create
    compute.backendServices.delete compute.backendServices.get compute.backendServices.list
    compute.backendServices.update compute.backendServices.use compute.disks.create compute.disks.list
    compute.firewalls.create compute.firewalls.delete compute.firewalls.list compute.firewalls.update
    compute.forwardingRules.create compute.forwardingRules.delete compute.forwardingRules.list
    compute.forwardingRules.update compute.globalForwardingRules.create
    compute.globalForwardingRules.delete compute.globalForwardingRules.list
    compute.globalForwardingRules.update compute.globalOperations.get compute.healthChecks.create
    compute.healthChecks.delete compute.healthChecks.get compute.healthChecks.list
    compute.healthChecks.update compute.healthChecks.use compute.healthChecks.useReadOnly
    compute.httpHealthChecks.create compute.httpHealthChecks.delete compute.httpHealthChecks.get
    compute.httpHealthChecks.list compute.httpHealthChecks.update compute.httpHealthChecks.use
    compute.httpsHealthChecks.create compute.httpsHealthChecks.delete compute.httpsHealthChecks.get
    compute.httpsHealthChecks.list compute.httpsHealthChecks.update compute.httpsHealthChecks.use
    compute.instanceGroups.create compute.instanceGroups.delete compute.instanceGroups.get
    compute.instanceGroups.list compute.instanceGroups.update compute.instanceGroups.use
    compute.instances.create compute.instances.delete compute.instances.get compute.instances.list
    compute.instances.setLabels compute.instances.setMetadata compute.instances.setServiceAccount
    compute.instances.update compute.instances.use compute.machineTypes.list
    compute.networkEndpointGroups.attachNetworkEndpoints compute.networkEndpointGroups.create
    compute.networkEndpointGroups.delete compute.networkEndpointGroups.detachNetworkEndpoints
    compute.networkEndpointGroups.get compute.networkEndpointGroups.list
    compute.networkEndpointGroups.use compute.networks.updatePolicy compute.regionBackendServices.create
    compute.regionBackendServices.delete compute.regionBackendServices.get
    compute.regionBackendServices.list compute.regionBackendServices.update
    compute.regionBackendServices.use compute.regionHealthChecks.create
    compute.regionHealthChecks.delete compute.regionHealthChecks.get compute.regionHealthChecks.list
    compute.regionHealthChecks.update compute.regionHealthChecks.use
    compute.regionHealthChecks.useReadOnly compute.regionOperations.get
    compute.regionSslCertificates.create compute.regionSslCertificates.delete
    compute.regionSslCertificates.get compute.regionSslCertificates.list
    compute.regionTargetHttpProxies.create compute.regionTargetHttpProxies.delete
    compute.regionTargetHttpProxies.get compute.regionTargetHttpProxies.list
    compute.regionTargetHttpProxies.update compute.regionTargetHttpProxies.use
    compute.regionTargetHttpsProxies.create compute.regionTargetHttpsProxies.delete
    compute.regionTargetHttpsProxies.get compute.regionTargetHttpsProxies.list
    compute.regionTargetHttpsProxies.update compute.regionTargetHttpsProxies.use
    compute.regionUrlMaps.create compute.regionUrlMaps.delete compute.regionUrlMaps.get
    compute.regionUrlMaps.list compute.regionUrlMaps.update compute.regionUrlMaps.use
    compute.regions.list compute.reservations.list compute.subnetworks.list compute.subnetworks.use
    compute.subnetworks.useExternalIp compute.targetHttpProxies.create compute.targetHttpProxies.delete
    compute.targetHttpProxies.get compute.targetHttpProxies.list compute.targetHttpProxies.update
    compute.targetHttpProxies.use compute.targetHttpsProxies.create compute.targetHttpsProxies.delete
    compute.targetHttpsProxies.get compute.targetHttpsProxies.list compute.targetHttpsProxies.update
    compute.targetHttpsProxies.use compute.urlMaps.create compute.urlMaps.delete compute.urlMaps.get
    compute.urlMaps.list compute.urlMaps.update compute.urlMaps.use compute.zoneOperations.get
    compute.zones.list
    """.split(),
    opts=after_apis,
)
gcp.projects.IAMMember("anyscale-access-custom-role", project=PROJECT, role=role.name, member=access.member,
                       opts=after_apis)
instance = gcp.serviceaccount.Account(
    "anyscale-instance", project=PROJECT, account_id="anyscale-cluster", display_name="Anyscale cluster nodes",
    description="Anyscale cluster nodes run as this account", opts=after_apis,
)
gcp.projects.IAMMember("anyscale-instance-artifactregistry.reader", project=PROJECT,
                       role="roles/artifactregistry.reader", member=instance.member, opts=after_apis)
gcp.serviceaccount.IAMMember(
    "anyscale-instance-access-user", service_account_id=instance.name, role="roles/iam.serviceAccountUser",
    member=access.member, opts=pulumi.ResourceOptions(depends_on=services, deleted_with=instance),
)

# Cloud Storage: the bucket (protected) and two roles for each account on it.
bucket = gcp.storage.Bucket(
    "anyscale-bucket", project=PROJECT, location="US-CENTRAL1", storage_class="STANDARD",
    uniform_bucket_level_access=True, public_access_prevention="enforced",
    cors=[{"origins": ["https://*.anyscale.com"], "methods": ["GET", "PUT", "POST", "HEAD", "DELETE"],
           "response_headers": ["*", "Accept-Ranges", "Content-Range", "Content-Length"], "max_age_seconds": 3600}],
    versioning={"enabled": True},
    lifecycle_rules=[
        {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 7}},
        {"action": {"type": "Delete"}, "condition": {"days_since_noncurrent_time": 30}},
    ],
    force_destroy=False, labels=LABELS, opts=pulumi.ResourceOptions(protect=True, depends_on=services),
)
for key, account in (("access", access), ("instance", instance)):
    member = account.email.apply(lambda email: f"serviceAccount:{email}")
    for slug, bucket_role in (("legacy-bucket-reader", "roles/storage.legacyBucketReader"),
                              ("object-admin", "roles/storage.objectAdmin")):
        gcp.storage.BucketIAMMember(f"anyscale-{key}-{slug}", bucket=bucket.name, role=bucket_role, member=member,
                                    opts=pulumi.ResourceOptions(depends_on=services, deleted_with=bucket))

# Filestore: BASIC_HDD, 1 TiB, on the VPC (protected).
filestore = gcp.filestore.Instance(
    "anyscale-filestore", project=PROJECT, location="us-central1-b", tier="BASIC_HDD",
    file_shares={"name": "anyscale_vol", "capacity_gb": 1024},
    networks=[{"network": vpc.name.apply(lambda name: f"projects/{PROJECT}/global/networks/{name}"),
               "modes": ["MODE_IPV4"], "connect_mode": "DIRECT_PEERING"}],
    description="Anyscale cloud shared storage", labels=LABELS,
    opts=pulumi.ResourceOptions(protect=True, depends_on=services),
)

pulumi.export("vpc_name", vpc.name)
pulumi.export("bucket_name", bucket.name)
pulumi.export("filestore_instance_id", filestore.name)
