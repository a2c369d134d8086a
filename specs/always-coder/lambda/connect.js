// $connect: records the connection (and the session it joins) with a 24-hour TTL.
const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");

const dynamodb = new DynamoDBClient({});
const ttlSeconds = Number(process.env.RECORD_TTL_SECONDS);

exports.handler = async (event) => {
  const query = event.queryStringParameters || {};
  const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
  await dynamodb.send(new PutItemCommand({
    TableName: process.env.CONNECTIONS_TABLE,
    Item: {
      connectionId: { S: event.requestContext.connectionId },
      sessionId: { S: query.sessionId || "unassigned" },
      role: { S: query.role || "web" },
      ttl: { N: String(expires) },
    },
  }));
  return { statusCode: 200 };
};
