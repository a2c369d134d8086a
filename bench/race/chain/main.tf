# Race case: a chain of 7 SNS topics (each names the one before it in a tag, so each waits for
# it) beside 30 independent leaves. Bounded parallelism must start the chain first.

resource "aws_sns_topic" "link0" {
  name = "race-chain-0"
}

resource "aws_sns_topic" "link1" {
  name = "race-chain-1"
  tags = { After = aws_sns_topic.link0.arn }
}

resource "aws_sns_topic" "link2" {
  name = "race-chain-2"
  tags = { After = aws_sns_topic.link1.arn }
}

resource "aws_sns_topic" "link3" {
  name = "race-chain-3"
  tags = { After = aws_sns_topic.link2.arn }
}

resource "aws_sns_topic" "link4" {
  name = "race-chain-4"
  tags = { After = aws_sns_topic.link3.arn }
}

resource "aws_sns_topic" "link5" {
  name = "race-chain-5"
  tags = { After = aws_sns_topic.link4.arn }
}

resource "aws_sns_topic" "link6" {
  name = "race-chain-6"
  tags = { After = aws_sns_topic.link5.arn }
}

resource "aws_sns_topic" "leaf" {
  count = 30
  name  = "race-leaf-${count.index}"
}
