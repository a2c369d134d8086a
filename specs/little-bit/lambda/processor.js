// Queue consumer: marks the sample as processing and starts the ECS audio processing task.
const { DynamoDBClient, UpdateItemCommand } = require("@aws-sdk/client-dynamodb");
const { ECSClient, RunTaskCommand } = require("@aws-sdk/client-ecs");

const dynamodb = new DynamoDBClient({});
const ecs = new ECSClient({});

exports.handler = async (event) => {
  const failures = [];
  for (const record of event.Records) {
    try {
      const { bucket, key } = JSON.parse(record.body);
      const sampleId = key.split("/").slice(-1)[0].split(".")[0];
      await dynamodb.send(new UpdateItemCommand({
        TableName: process.env.SAMPLES_TABLE,
        Key: { id: { S: sampleId } },
        UpdateExpression: "SET #status = :processing",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: { ":processing": { S: "PROCESSING" } },
      }));
      await ecs.send(new RunTaskCommand({
        cluster: process.env.CLUSTER_ARN,
        taskDefinition: process.env.TASK_DEFINITION_ARN,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        networkConfiguration: {
          awsvpcConfiguration: {
            subnets: process.env.SUBNET_IDS.split(","),
            securityGroups: [process.env.SECURITY_GROUP_ID],
            assignPublicIp: "DISABLED",
          },
        },
        overrides: {
          containerOverrides: [{
            name: "audio-processing",
            environment: [
              { name: "INPUT_BUCKET", value: bucket },
              { name: "INPUT_KEY", value: key },
              { name: "SAMPLE_ID", value: sampleId },
            ],
          }],
        },
      }));
    } catch (error) {
      console.error(error);
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
};
