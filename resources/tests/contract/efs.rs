//! Fixtures of the EFS types: a file system, a mount target in the shared subnet and an access
//! point.

use serde_json::json;

use crate::ec2;
use crate::harness::Fixture;

pub fn efs_file_system() -> Fixture {
    Fixture::new("aws_efs_file_system", |created| {
        json!({"creation_token": created.name("efs"), "encrypted": true,
               "tags": {"Name": created.name("efs")}})
    })
}

pub fn efs_mount_target() -> Fixture {
    Fixture::new("aws_efs_mount_target", |created| {
        json!({"file_system_id": created.id("aws_efs_file_system"),
               "subnet_id": created.id("aws_subnet")})
    })
    .needs(&[efs_file_system, ec2::subnet])
}

pub fn efs_access_point() -> Fixture {
    Fixture::new("aws_efs_access_point", |created| {
        json!({"file_system_id": created.id("aws_efs_file_system"),
               "posix_user": {"uid": 1000, "gid": 1000},
               "root_directory": {"path": "/data", "creation_info":
                   {"owner_uid": 1000, "owner_gid": 1000, "permissions": "755"}},
               "tags": {"Name": created.name("access-point")}})
    })
    .needs(&[efs_file_system])
}
