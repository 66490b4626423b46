#!/usr/bin/env bash
# The Terraform state bucket, once per account and region (docs/deploy.md, step 1): versioned,
# private, encrypted by default with a KMS key of its own (rotated yearly), and refusing any
# request not made over TLS or any object written without that key. Running it again changes
# nothing that is already right: an existing key (by its alias) and bucket are reused and their
# settings applied again. Prints the two exports the make targets need on stdout, progress on
# stderr: eval "$(make -s state-bucket)".
set -euo pipefail

AWS=${AWS:-aws}
region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
[ -n "$region" ] || { echo "AWS_REGION is not set: the region the state bucket lives in." >&2; exit 2; }
export AWS_REGION=$region

account=$($AWS sts get-caller-identity --query Account --output text)
bucket=${TF_STATE_BUCKET:-hookrelay-tfstate-$account-$region}
alias=${TF_STATE_KMS_ALIAS:-alias/hookrelay-tfstate}

if key=$($AWS kms describe-key --key-id "$alias" --query KeyMetadata.Arn --output text 2>/dev/null); then
  echo "using the KMS key $alias ($key)" >&2
else
  echo "creating the KMS key $alias" >&2
  key=$($AWS kms create-key --description "Terraform state of $bucket" --query KeyMetadata.Arn --output text)
  $AWS kms create-alias --alias-name "$alias" --target-key-id "$key"
fi
$AWS kms enable-key-rotation --key-id "$key"

if $AWS s3api head-bucket --bucket "$bucket" 2>/dev/null; then
  echo "using the bucket $bucket" >&2
else
  echo "creating the bucket $bucket in $region" >&2
  if [ "$region" = us-east-1 ]; then
    $AWS s3api create-bucket --bucket "$bucket"
  else
    $AWS s3api create-bucket --bucket "$bucket" --create-bucket-configuration "LocationConstraint=$region"
  fi
fi

$AWS s3api put-bucket-versioning --bucket "$bucket" --versioning-configuration Status=Enabled
$AWS s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
$AWS s3api put-bucket-ownership-controls --bucket "$bucket" \
  --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]'
$AWS s3api put-bucket-encryption --bucket "$bucket" --server-side-encryption-configuration \
  "{\"Rules\":[{\"ApplyServerSideEncryptionByDefault\":{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"$key\"},\"BucketKeyEnabled\":true}]}"

partition=$(printf '%s' "$key" | cut -d: -f2)
arn="arn:$partition:s3:::$bucket"
$AWS s3api put-bucket-policy --bucket "$bucket" --policy "$(cat <<JSON
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "TlsOnly",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["$arn", "$arn/*"],
      "Condition": { "Bool": { "aws:SecureTransport": "false" } }
    },
    {
      "Sid": "NoS3ManagedKeys",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:PutObject",
      "Resource": "$arn/*",
      "Condition": { "StringEquals": { "s3:x-amz-server-side-encryption": "AES256" } }
    },
    {
      "Sid": "OnlyTheStateKey",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:PutObject",
      "Resource": "$arn/*",
      "Condition": {
        "Null": { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
        "StringNotEquals": { "s3:x-amz-server-side-encryption-aws-kms-key-id": "$key" }
      }
    }
  ]
}
JSON
)"

echo "state bucket $bucket ready: versioned, public access blocked, KMS by default, TLS only" >&2
echo "export TF_STATE_BUCKET=$bucket"
echo "export TF_STATE_KMS_KEY_ID=$key"
