package io.checkpointservice.it.badinput;

import io.checkpointservice.api.CheckpointConnectionFactory;
import io.checkpointservice.it.support.StorageSnapshot;
import jakarta.annotation.Resource;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one row of {@link BadInputCases} inside WildFly: {@code POST /cases?name=<row>}. Around
 * the row it checks what every row promises beyond its own exception: the storage directory has
 * no new, changed or missing file afterwards, and every victim keeps its version and bytes.
 * Answers 200 with "passed", or 409 with what went wrong.
 */
@WebServlet("/cases")
public class BadInputServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Resource(lookup = "java:/eis/checkpoint")
    private CheckpointConnectionFactory defaultFactory;

    @Resource(lookup = "java:/eis/checkpoint-other")
    private CheckpointConnectionFactory otherFactory;

    private Victims victims;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("name");
        BadInputCase row = BadInputCases.row(name);
        if (row == null) {
            answer(response, HttpServletResponse.SC_NOT_FOUND, "no row named '" + name + "'");
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            Victims stored = victims();
            Path storage = storageDirectory();
            StorageSnapshot before = StorageSnapshot.of(storage);
            CaseContext context = new CaseContext(defaultFactory, otherFactory, stored);
            try {
                row.body().run(context);
            } catch (AssertionError e) {
                problems.add(e.getMessage() + (e.getCause() != null ? "\n" + stackTrace(e.getCause()) : ""));
            } catch (Throwable e) {
                problems.add("the row itself failed: " + stackTrace(e));
            } finally {
                problems.addAll(context.cleanUp());
            }
            List<String> files = StorageSnapshot.of(storage).changesSince(before);
            if (!files.isEmpty()) {
                problems.add("expected the storage directory " + storage + " unchanged, got " + files);
            }
            List<String> changed = stored.changes();
            if (!changed.isEmpty()) {
                problems.add("expected every victim unchanged, got " + changed);
            }
        } catch (Throwable e) {
            problems.add("the runner failed: " + stackTrace(e));
        }
        if (problems.isEmpty()) {
            answer(response, HttpServletResponse.SC_OK, "passed");
        } else {
            answer(response, HttpServletResponse.SC_CONFLICT, String.join("\n", problems));
        }
    }

    /** At undeploy (the adapter is still there: the war goes first): leaves no victim on node-1. */
    @Override
    public synchronized void destroy() {
        if (victims != null) {
            try {
                victims.deleteAll();
            } catch (RuntimeException e) {
                log("cannot delete the bad-input victims", e);
            }
            victims = null;
        }
    }

    /** Stored once per deployment: the first row to run writes them. */
    private synchronized Victims victims() {
        if (victims == null) {
            victims = Victims.store(defaultFactory, otherFactory);
        }
        return victims;
    }

    /** The adapter's default disk storage directory on node-1 (disk mode, no storageDirectory set). */
    private static Path storageDirectory() {
        String dataDir = System.getProperty("jboss.server.data.dir");
        if (dataDir == null) {
            throw new IllegalStateException("jboss.server.data.dir is not set: not inside WildFly?");
        }
        return Path.of(dataDir, "checkpoint");
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static void answer(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }
}
