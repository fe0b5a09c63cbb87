<?xml version="1.0" encoding="UTF-8"?>
<!--
  Adds MicroProfile Health to a WildFly 39 configuration that lacks it (standalone.xml,
  standalone-ha.xml and the full profiles ship only the base "health" subsystem; the
  microprofile-health-smallrye subsystem is in the standalone-microprofile*.xml configurations,
  which lack the EJB and singleton subsystems the example EAR needs). The same as the operator's
  CLI commands in the README ("Console"): the extension and subsystem
  microprofile-health-smallrye, and microprofile-config-smallrye (health needs it) where missing, with the
  endpoints /health, /health/ready and /health/live on the management interface, unauthenticated
  (security-enabled="false", as in standalone-microprofile.xml). Applied by pom.xml to ha-1..ha-3.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="/">
    <xsl:if test="count(//*[local-name()='extensions']) != 1 or count(//*[local-name()='profile']) != 1">
      <xsl:message terminate="yes">expected exactly one extensions and one profile element</xsl:message>
    </xsl:if>
    <xsl:if test="//*[local-name()='extension' and @module='org.wildfly.extension.microprofile.health-smallrye']">
      <xsl:message terminate="yes">the configuration has microprofile-health-smallrye already</xsl:message>
    </xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="*[local-name()='extensions']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <xsl:if test="not(*[@module='org.wildfly.extension.microprofile.config-smallrye'])">
        <xsl:element name="extension" namespace="{namespace-uri()}">
          <xsl:attribute name="module">org.wildfly.extension.microprofile.config-smallrye</xsl:attribute>
        </xsl:element>
      </xsl:if>
      <xsl:element name="extension" namespace="{namespace-uri()}">
        <xsl:attribute name="module">org.wildfly.extension.microprofile.health-smallrye</xsl:attribute>
      </xsl:element>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="*[local-name()='profile']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <xsl:if test="not(*[starts-with(namespace-uri(), 'urn:wildfly:microprofile-config-smallrye:')])">
        <subsystem xmlns="urn:wildfly:microprofile-config-smallrye:2.0"/>
      </xsl:if>
      <subsystem xmlns="urn:wildfly:microprofile-health-smallrye:3.0" security-enabled="false"
                 empty-liveness-checks-status="UP" empty-readiness-checks-status="UP"
                 empty-startup-checks-status="UP"/>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
