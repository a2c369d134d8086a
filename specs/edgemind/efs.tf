# EFS for InfluxDB's data (the seed's database stack): an encrypted file system whose files move
# to Infrequent Access after 14 days, a mount target in every private subnet (NFS through
# aws_security_group.efs, which admits only InfluxDB), and an access point that pins the InfluxDB
# task to its own directory and user.

resource "aws_efs_file_system" "influxdb" {
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "bursting"

  lifecycle_policy {
    transition_to_ia = "AFTER_14_DAYS"
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-data"
  })
}

resource "aws_efs_mount_target" "influxdb" {
  count = local.zone_count

  file_system_id  = aws_efs_file_system.influxdb.id
  subnet_id       = module.network.private_subnet_ids[count.index]
  security_groups = [aws_security_group.efs.id]
}

# InfluxDB 2.7 runs as uid/gid 1000 and keeps its data under /var/lib/influxdb2: the access
# point creates /influxdb owned by that user on first mount.
resource "aws_efs_access_point" "influxdb" {
  file_system_id = aws_efs_file_system.influxdb.id

  posix_user {
    uid = 1000
    gid = 1000
  }

  root_directory {
    path = "/influxdb"

    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "755"
    }
  }

  tags = merge(local.common_tags, {
    Name = "${local.name_prefix}-influxdb-data"
  })
}
