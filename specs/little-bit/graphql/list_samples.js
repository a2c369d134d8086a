import * as ddb from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  return ddb.scan({ limit: ctx.args.limit ?? 20, nextToken: ctx.args.nextToken });
}

export function response(ctx) {
  return { items: ctx.result.items, nextToken: ctx.result.nextToken };
}
