# header comment   
variable "owner" {
type    = "string"
    default="platform"   # trailing
  description = "x"
}



resource "aws_vpc" "main" {
cidr_block = "10.60.0.0/16"
enable_dns_hostnames=true
  tags = {
  Name  = "saved-plan"
      Owner = "${var.owner}"
    LongerKey="x" // c2
  }
  list = [ 1,2 , 3 ]
  expr = var.a+1*-2
  fn = lookup( var.m , "k" , null )
  cond = var.a ? "x" : "y"
  obj = { a = 1, b = 2 }
  empty {}
  tmpl = "a-${ var.x }-b"
  idx = var.list[ 0 ]
  splat = aws_subnet.a[*].id
  for = [for s in var.l : upper(s) if s != ""]
  forobj = {for k, v in var.m : k => v...}
  heredoc = <<EOT
  keep   this
EOT
  neg = -1
  /* block */ 
}
resource "x" "y" {

  a = 1

}
