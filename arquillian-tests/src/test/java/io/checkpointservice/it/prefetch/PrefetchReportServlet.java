package io.checkpointservice.it.prefetch;

import io.checkpointservice.api.cdi.CheckpointPrefetchExtension;
import io.checkpointservice.api.cdi.PrefetchReport;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Answers what the prefetch of this deployment did, as {@code key=value} lines. */
@WebServlet("/report")
public class PrefetchReportServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    private CheckpointPrefetchExtension prefetch;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrefetchReport report = prefetch.lastReport();
        if (report == null) {
            response.getWriter().print("report=none\n");
            return;
        }
        response.getWriter().print("loaded=" + report.loaded() + "\nabsent=" + report.absent()
                + "\nfailed=" + report.failed() + "\nsinceDeploymentStartMillis=" + report.sinceDeploymentStartMillis()
                + "\n");
    }
}
