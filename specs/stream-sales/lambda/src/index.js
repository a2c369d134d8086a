// Stream Sales server Lambda: a small stand-in for the OpenNext server of the seed. It answers
// /api/health, and reports which resources it was configured with (never their values).
// Rebuild ../server.zip after editing (see ../README.md).

exports.handler = async (event) => {
  const path = (event && event.rawPath) || "/";
  const json = (statusCode, body) => ({
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (path === "/api/health") {
    return json(200, {
      status: "ok",
      environment: process.env.APP_ENVIRONMENT,
      database: Boolean(process.env.DATABASE_SECRET_ARN),
      imagesBucket: process.env.IMAGES_BUCKET,
    });
  }
  return json(200, { app: "stream-sales", path });
};
