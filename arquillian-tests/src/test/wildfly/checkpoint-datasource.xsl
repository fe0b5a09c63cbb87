<?xml version="1.0" encoding="UTF-8"?>
<!--
  Adds to a WildFly configuration what the README ("Global store", WildFly) tells a user to add for
  globalStore=datasource:java:jboss/datasources/CheckpointDS: the driver "postgresql" from the
  module org.postgresql (src/test/wildfly/postgresql-module.xml) and the DataSource CheckpointDS in
  the datasources subsystem, jta="false". URL, user and password are expressions, because the
  test starts its PostgreSQL server on a port chosen at test time: GlobalStoreDataSourceIT passes
  them as system properties (checkpoint.it.pg.*) when it starts a node.

  Why a module and the subsystem, not a deployed driver jar: the adapter looks the DataSource up
  once, when it starts. A datasource of the configuration with a module driver is bound while the
  server boots, waiting for no deployment; one whose driver is a deployed jar waits for that
  deployment, which WildFly deploys alongside the .rar, so the adapter could look too early.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="/">
    <xsl:if test="count(//*[starts-with(namespace-uri(), 'urn:jboss:domain:datasources:')]/*[local-name()='datasources']) != 1">
      <xsl:message terminate="yes">expected exactly one datasources element in the datasources subsystem</xsl:message>
    </xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="*[starts-with(namespace-uri(), 'urn:jboss:domain:datasources:') and local-name()='datasources']">
    <xsl:copy>
      <xsl:apply-templates select="@*"/>
      <xsl:element name="datasource" namespace="{namespace-uri()}">
        <xsl:attribute name="jndi-name">java:jboss/datasources/CheckpointDS</xsl:attribute>
        <xsl:attribute name="pool-name">CheckpointDS</xsl:attribute>
        <xsl:attribute name="jta">false</xsl:attribute>
        <xsl:element name="connection-url" namespace="{namespace-uri()}">${checkpoint.it.pg.url}</xsl:element>
        <xsl:element name="driver" namespace="{namespace-uri()}">postgresql</xsl:element>
        <xsl:element name="security" namespace="{namespace-uri()}">
          <xsl:attribute name="user-name">${checkpoint.it.pg.user}</xsl:attribute>
          <xsl:attribute name="password">${checkpoint.it.pg.password}</xsl:attribute>
        </xsl:element>
      </xsl:element>
      <xsl:apply-templates select="node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="*[starts-with(namespace-uri(), 'urn:jboss:domain:datasources:') and local-name()='drivers']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <xsl:element name="driver" namespace="{namespace-uri()}">
        <xsl:attribute name="name">postgresql</xsl:attribute>
        <xsl:attribute name="module">org.postgresql</xsl:attribute>
        <xsl:element name="xa-datasource-class" namespace="{namespace-uri()}">org.postgresql.xa.PGXADataSource</xsl:element>
      </xsl:element>
    </xsl:copy>
  </xsl:template>
</xsl:stylesheet>
