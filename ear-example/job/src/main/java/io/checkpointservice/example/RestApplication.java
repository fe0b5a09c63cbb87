package io.checkpointservice.example;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Serves the REST resources under {@code /checkpoint-example/api}. */
@ApplicationPath("api")
public class RestApplication extends Application {
}
