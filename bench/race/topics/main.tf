# Race case: 48 independent SNS topics, each with tags and a display name.

resource "aws_sns_topic" "topic" {
  count = 48

  name         = "race-topic-${count.index}"
  display_name = "Race topic ${count.index}"

  tags = {
    Case  = "topics"
    Index = tostring(count.index)
  }
}
