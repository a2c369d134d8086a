variable "l" {
  type = list(any)
}
variable "m" {
  type = map(string)
}
variable "legacy" {
  type = string
}
variable "legacy_list" {
  type = list(string)
}
locals {
  a = var.x
  b = "${var.x}-y"
  c = [
    "one",
    "two", # c
  ]
  d = [{
    x  = 1
    yy = 2
    }, {
    z = 3
  }]
  e = merge(
    local.a,
    { k = "v" },
  )
  short       = 1 # one
  longer_name = 2 # two
  # own line
  x  = 3
  p  = (1 + 2)
  q  = !var.b
  r  = a.b["c"]
  s  = var.x == null ? [] : [1]
  t  = "%{if var.a}yes%{endif}"
  u  = 1.5e3
  v  = provider::aws::arn_parse("x")
  ä  = 1
  bb = 2
  w  = "${a}${b}"
  y  = { a = 1 }
  z  = a ? b : c
  neg = [
    -1,
    -2,
  ]
  colon          = { k : 1, "q" = 2 }
  splat          = x[*].y
  attr_splat     = a.*.b
  for            = [for k, v in m : v]
  inline_comment = 1 /* c */ + 2
  strip          = "%{~for x in y~}${x}%{~endfor~}"
}
resource "aws_vpc" "main" {
  a = <<-EOT
    x ${var.a}
    EOT
  b = 2
  c = [
    1, 2
  ]
  dd = 3
}
