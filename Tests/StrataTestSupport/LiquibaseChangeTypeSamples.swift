import Foundation

/// One changeset per Liquibase change type (and the attribute variants that change how one is
/// hashed), the files they name, and the V9 checksum Liquibase 4.29 computed for each
/// (`liquibase --url=offline:postgresql update-sql`, read from its DATABASECHANGELOG inserts).
/// StrataLiquibaseTests pins these values; the real-Liquibase tests compute them again.
public enum LiquibaseChangeTypeSamples {
    /// The files the changelog names, relative to it.
    public static let files: [String: String] = [
        "data.csv": "id,name,active\n1,ann,true\n2,\"bob, jr\",false\n",
        "data2.csv": "id,name,active\r\n\r\n1,ann,true\r\n# another\r\n\r\n2,\"bob, jr\",false\r\n\r\n",
        "data3.csv": "id,name,active\n#1,x,true\n%2,y,false\n",
        "file.sql": "create table from_file (id int);\ninsert into from_file values (1);\n",
        "file2.sql": "insert into ${tbl} (id) values (7);\n",
        "proc.sql": "CREATE OR REPLACE FUNCTION f2() RETURNS int AS $$ SELECT 2 $$ LANGUAGE sql;\n",
        "view.sql": "SELECT id FROM t1",
        "view2.sql": "SELECT id FROM ${tbl}\n",
    ]

    /// Changeset id (author `t`) and Liquibase 4.29's checksum of it, in changelog order.
    public static let liquibaseChecksums: [(id: String, checksum: String)] = [
        ("createTable", "9:a5ae8f77b49c6e3dc04a1708984bc3d2"),
        ("createView", "9:77a095d6ebed1d055e9286fada2565ba"),
        ("createViewReplace", "9:f77c600f65e4a9b3bed0c8bcf0a840f0"),
        ("createViewFile", "9:eb88069dd5706e12d8baf8bdeb0efe9c"),
        ("createViewFullDef", "9:5aa42fea9008b5a17286ce480cf870c4"),
        ("createProcedure", "9:9bcbc9a87eb4efd72a05a801277c35b4"),
        ("createProcedureNamed", "9:bf1631f83eb103ca79dc04cc4b9ee6dd"),
        ("createProcedureFile", "9:4416f070207bc0283a4d0b5494f4ef5c"),
        ("sqlFile", "9:bb9b0cf88e8d3430bdae5e8545279dca"),
        ("sqlFileAttrs", "9:bb9b0cf88e8d3430bdae5e8545279dca"),
        ("sqlAttrs", "9:64ee798a9c07dc0b92c0a9781c46895c"),
        ("loadData", "9:796a407797a610f9e94ddc96f3662f14"),
        ("loadDataNoCols", "9:796a407797a610f9e94ddc96f3662f14"),
        ("loadUpdateData", "9:796a407797a610f9e94ddc96f3662f14"),
        ("modifySql", "9:05b21bebfce950aa912eb850a149c280"),
        ("modifySqlRegexp", "9:787c00804357d5421ee52716711473f5"),
        ("insert", "9:135a638b4d4a2376ec10b3eb9287e6b2"),
        ("update", "9:f65fb0d40364a05ed41167a8f3f460bd"),
        ("delete", "9:0f53bf7f0a7f94e48eb451b7b18f0126"),
        ("addColumn", "9:cae29c59313a9518543bcad9102c86e2"),
        ("addDefaultValue", "9:6569ae1a9b9d35561e4d1e1226d5740e"),
        ("addLookupTable", "9:fa6b81e4e2b44356d16fa97dbb483e5a"),
        ("mergeColumns", "9:c1aff472489a3376aefda9ec9cdd8100"),
        ("sequences", "9:af9bcec65acf560f955c30a54680a0f3"),
        ("constraints", "9:cf88548db8524a3bf7014354a47444aa"),
        ("indexes", "9:7c3d26055d73031dd6b3f8d2dbbd7b69"),
        ("renames", "9:8bc1fab354a8e9665ad74419a5708a49"),
        ("remarks", "9:a7e041ea6a1c007be4aa24bd1a14e362"),
        ("misc", "9:d3c9a44d67d219a77127c3717a5937f1"),
        ("tag", "9:635ff1e577e13420abaf0552fb77ab20"),
        ("sqlPlain", "9:3b78b9910981c62ca27148640fad7bc2"),
        ("sqlComment", "9:8f4948cad5a4e979f7ed9dba96c80631"),
        ("createTableIfNotExists", "9:b9ab16f0b010bbb7b53afe432487e36f"),
        ("indexAssociated", "9:c48c6b19571062584a385fd4a073f095"),
        ("loadDataMessy", "9:fa35b029b373c57d2aaf86603fb9ee9a"),
        ("loadDataNoComments", "9:15ea28d07fdfc867f48cd5d2d3bbef23"),
        ("createViewProperty", "9:492d6b071334817ab23ceb8960463af6"),
        ("sqlFileProperty", "9:1d1f9990690eea1f795ed643b8fd4db8"),
        ("deleteParams", "9:24b3c19cf2e0025649475788e1c21ef4"),
        ("insertDbms", "9:a1350beb7a6af0067c4ce465745781e3"),
        ("viewInlineProperty", "9:7dcc91a808d1282378ab3a6e0d10078a"),
    ]

    /// `changelog.xml`.
    public static let changelog = #"""
        <?xml version="1.0" encoding="UTF-8"?>
        <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
            xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-4.29.xsd">
          <property name="tbl" value="t1"/>
          <changeSet id="createTable" author="t">
            <createTable tableName="t1" remarks="a table">
              <column name="id" type="int" autoIncrement="true"><constraints primaryKey="true" nullable="false"/></column>
              <column name="name" type="varchar(50)" defaultValue="x"/>
              <column name="n" type="int" defaultValueNumeric="0"/>
              <column name="b" type="boolean" defaultValueBoolean="true"/>
              <column name="d" type="datetime" defaultValueComputed="CURRENT_TIMESTAMP"/>
            </createTable>
          </changeSet>
          <changeSet id="createView" author="t">
            <createView viewName="v1">SELECT id FROM t1</createView>
          </changeSet>
          <changeSet id="createViewReplace" author="t">
            <createView viewName="v1" replaceIfExists="true">
              SELECT id,
                     name FROM t1
            </createView>
          </changeSet>
          <changeSet id="createViewFile" author="t">
            <createView viewName="v2" path="view.sql" relativeToChangelogFile="true"/>
          </changeSet>
          <changeSet id="createViewFullDef" author="t">
            <createView viewName="v3" fullDefinition="true">CREATE VIEW v3 AS SELECT 1</createView>
          </changeSet>
          <changeSet id="createProcedure" author="t">
            <createProcedure>CREATE OR REPLACE FUNCTION f1() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;</createProcedure>
          </changeSet>
          <changeSet id="createProcedureNamed" author="t">
            <createProcedure procedureName="f1" dbms="postgresql">
              CREATE OR REPLACE FUNCTION f1() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;
            </createProcedure>
          </changeSet>
          <changeSet id="createProcedureFile" author="t">
            <createProcedure path="proc.sql" relativeToChangelogFile="true"/>
          </changeSet>
          <changeSet id="sqlFile" author="t">
            <sqlFile path="file.sql" relativeToChangelogFile="true"/>
          </changeSet>
          <changeSet id="sqlFileAttrs" author="t">
            <sqlFile path="file.sql" relativeToChangelogFile="true" splitStatements="false" stripComments="true" endDelimiter=";"/>
          </changeSet>
          <changeSet id="sqlAttrs" author="t">
            <sql splitStatements="false" stripComments="true">select 1; -- hi
            select 2</sql>
          </changeSet>
          <changeSet id="loadData" author="t">
            <loadData tableName="t2" file="data.csv" relativeToChangelogFile="true">
              <column name="id" type="NUMERIC"/>
              <column name="active" type="BOOLEAN"/>
            </loadData>
          </changeSet>
          <changeSet id="loadDataNoCols" author="t">
            <loadData tableName="t2" file="data.csv" relativeToChangelogFile="true"/>
          </changeSet>
          <changeSet id="loadUpdateData" author="t">
            <loadUpdateData tableName="t2" file="data.csv" relativeToChangelogFile="true" primaryKey="id"/>
          </changeSet>
          <changeSet id="modifySql" author="t">
            <createTable tableName="t3"><column name="id" type="int"/></createTable>
            <modifySql dbms="postgresql"><append value=" WITH (fillfactor=70)"/></modifySql>
            <modifySql><replace replace="t3" with="t3"/><prepend value="/* x */"/></modifySql>
          </changeSet>
          <changeSet id="modifySqlRegexp" author="t">
            <createTable tableName="t4"><column name="id" type="int"/></createTable>
            <modifySql context="c1" labels="l1" applyToRollback="true"><regExpReplace replace="t\d" with="t5"/></modifySql>
          </changeSet>
          <changeSet id="insert" author="t">
            <insert tableName="t2">
              <column name="id" valueNumeric="3"/>
              <column name="name" value="c"/>
              <column name="active" valueBoolean="true"/>
              <column name="d" valueDate="2020-01-01T00:00:00"/>
              <column name="e" valueComputed="now()"/>
            </insert>
          </changeSet>
          <changeSet id="update" author="t">
            <update tableName="t2">
              <column name="name" value="z"/>
              <where>id = :value</where>
              <whereParams><param valueNumeric="3"/></whereParams>
            </update>
          </changeSet>
          <changeSet id="delete" author="t">
            <delete tableName="t2"><where>id = 3</where></delete>
          </changeSet>
          <changeSet id="addColumn" author="t">
            <addColumn tableName="t1">
              <column name="c1" type="int" defaultValueNumeric="0"><constraints nullable="false"/></column>
              <column name="c2" type="varchar(10)"/>
            </addColumn>
          </changeSet>
          <changeSet id="addDefaultValue" author="t">
            <addDefaultValue tableName="t1" columnName="n" defaultValueNumeric="1.50"/>
          </changeSet>
          <changeSet id="addLookupTable" author="t">
            <addLookupTable existingTableName="t1" existingColumnName="name" newTableName="names" newColumnName="name" newColumnDataType="varchar(50)" constraintName="fk_names"/>
          </changeSet>
          <changeSet id="mergeColumns" author="t">
            <mergeColumns tableName="t1" column1Name="name" column2Name="c2" finalColumnName="nm" finalColumnType="varchar(100)" joinString=" "/>
          </changeSet>
          <changeSet id="sequences" author="t">
            <createSequence sequenceName="s1" startValue="10" incrementBy="2" cycle="false"/>
            <alterSequence sequenceName="s1" incrementBy="3"/>
            <renameSequence oldSequenceName="s1" newSequenceName="s2"/>
            <dropSequence sequenceName="s2"/>
          </changeSet>
          <changeSet id="constraints" author="t">
            <addUniqueConstraint tableName="t1" columnNames="n, b" constraintName="uq1"/>
            <dropUniqueConstraint tableName="t1" constraintName="uq1"/>
            <addForeignKeyConstraint baseTableName="t1" baseColumnNames="n" referencedTableName="t2" referencedColumnNames="id" constraintName="fk1" onDelete="CASCADE"/>
            <dropForeignKeyConstraint baseTableName="t1" constraintName="fk1"/>
            <dropAllForeignKeyConstraints baseTableName="t1"/>
            <addPrimaryKey tableName="t2" columnNames="id" constraintName="pk2"/>
            <dropPrimaryKey tableName="t2" constraintName="pk2"/>
            <addNotNullConstraint tableName="t1" columnName="n" defaultNullValue="0" columnDataType="int"/>
            <dropNotNullConstraint tableName="t1" columnName="n" columnDataType="int"/>
            <dropDefaultValue tableName="t1" columnName="n"/>
            <addAutoIncrement tableName="t1" columnName="id" columnDataType="int" startWith="5" incrementBy="1"/>
          </changeSet>
          <changeSet id="indexes" author="t">
            <createIndex tableName="t1" indexName="i1" unique="true"><column name="n" descending="true"/><column name="lower(name)" computed="true"/></createIndex>
            <dropIndex tableName="t1" indexName="i1"/>
          </changeSet>
          <changeSet id="renames" author="t">
            <renameTable oldTableName="t1" newTableName="t9"/>
            <renameColumn tableName="t9" oldColumnName="n" newColumnName="m" columnDataType="int"/>
            <renameView oldViewName="v1" newViewName="v9"/>
            <modifyDataType tableName="t9" columnName="m" newDataType="bigint"/>
            <dropColumn tableName="t9" columnName="m"/>
            <dropColumn tableName="t9"><column name="b"/><column name="d"/></dropColumn>
            <dropView viewName="v9"/>
            <dropTable tableName="t9" cascadeConstraints="true"/>
          </changeSet>
          <changeSet id="remarks" author="t">
            <setTableRemarks tableName="t2" remarks="r"/>
            <setColumnRemarks tableName="t2" columnName="id" remarks="c" columnDataType="int"/>
            <dropProcedure procedureName="f1"/>
          </changeSet>
          <changeSet id="misc" author="t">
            <output target="STDERR">hello</output>
            <empty/>
          </changeSet>
          <changeSet id="tag" author="t">
            <tagDatabase tag="v1"/>
          </changeSet>
          <changeSet id="sqlPlain" author="t">
            <sql>select 1</sql>
            <sql dbms="h2">select 2</sql>
          </changeSet>
          <changeSet id="sqlComment" author="t">
            <sql><comment>note</comment>select 3</sql>
          </changeSet>
          <changeSet id="createTableIfNotExists" author="t">
            <createTable tableName="t6" ifNotExists="true"><column name="id" type="int"/></createTable>
          </changeSet>
          <changeSet id="indexAssociated" author="t">
            <createIndex tableName="t1" indexName="i2" associatedWith="foreignKey"><column name="n"/></createIndex>
          </changeSet>
          <changeSet id="loadDataMessy" author="t">
            <loadData tableName="T2" file="data2.csv" relativeToChangelogFile="true" separator="," quotchar="&quot;"/>
          </changeSet>
          <changeSet id="loadDataNoComments" author="t">
            <loadData tableName="t2" file="data3.csv" relativeToChangelogFile="true" commentLineStartsWith="%"/>
          </changeSet>
          <changeSet id="createViewProperty" author="t">
            <createView viewName="v4" path="view2.sql" relativeToChangelogFile="true" encoding="UTF-8"/>
          </changeSet>
          <changeSet id="sqlFileProperty" author="t">
            <sqlFile path="file2.sql" relativeToChangelogFile="true" encoding="UTF-8"/>
          </changeSet>
          <changeSet id="deleteParams" author="t">
            <delete tableName="t2"><where>name = :value</where><whereParams><param value="x"/></whereParams></delete>
          </changeSet>
          <changeSet id="insertDbms" author="t">
            <insert tableName="t2" dbms="h2"><column name="id" valueNumeric="9"/></insert>
            <insert tableName="t2" dbms="postgresql"><column name="id" valueNumeric="10"/></insert>
          </changeSet>
          <changeSet id="viewInlineProperty" author="t">
            <createView viewName="v5" remarks="r">SELECT id FROM ${tbl}</createView>
          </changeSet>
        </databaseChangeLog>
        """#

    /// Writes the changelog and its files into `folder`.
    public static func write(into folder: TemporaryFolder) {
        folder.write("changelog.xml", changelog)
        for (name, text) in files { folder.write(name, text) }
    }
}
